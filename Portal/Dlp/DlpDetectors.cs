namespace ShadowMcp.Portal.Dlp;

/// <summary>The built-in detector set. Names are stable: they appear in errors, audit rows and redactions.</summary>
internal static class DlpDetectors
{
    public static readonly IReadOnlyList<DlpDetector> All =
    [
        new("private-key", DlpPatterns.PrivateKey()),
        new("jwt", DlpPatterns.Jwt(), DlpValidators.JwtHeader),
        new("aws-access-key", DlpPatterns.AwsAccessKey()),
        new("aws-secret-key", DlpPatterns.AwsSecretKey()),
        new("gcp-api-key", DlpPatterns.GcpApiKey()),
        new("github-token", DlpPatterns.GitHubToken()),
        new("slack-token", DlpPatterns.SlackToken()),
        new("card-number", DlpPatterns.Card(), DlpValidators.Luhn),
        new("us-ssn", DlpPatterns.Ssn()),
        new("iban", DlpPatterns.Iban(), DlpValidators.IbanMod97),
        new("email", DlpPatterns.Email()),
    ];
}
