using System.Text.RegularExpressions;

namespace ShadowMcp.Portal.Dlp;

/// <summary>The detector regexes, source-generated and bounded by a match timeout.</summary>
internal static partial class DlpPatterns
{
    private const int TimeoutMs = 250;

    [GeneratedRegex(@"(?<![\d-])\d(?:[ -]?\d){12,18}(?![\d-])", RegexOptions.None, TimeoutMs)]
    public static partial Regex Card();

    [GeneratedRegex(@"(?<![\d-])(?!000|666|9\d\d)\d{3}-(?!00)\d{2}-(?!0000)\d{4}(?![\d-])", RegexOptions.None, TimeoutMs)]
    public static partial Regex Ssn();

    [GeneratedRegex(@"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}\b", RegexOptions.None, TimeoutMs)]
    public static partial Regex Iban();

    [GeneratedRegex(@"\b[A-Za-z0-9._%+-]{1,64}@(?:[A-Za-z0-9-]{1,63}\.)+[A-Za-z]{2,24}\b", RegexOptions.None, TimeoutMs)]
    public static partial Regex Email();

    [GeneratedRegex(@"\b(?:AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16}\b", RegexOptions.None, TimeoutMs)]
    public static partial Regex AwsAccessKey();

    [GeneratedRegex(@"(?i)aws_?secret_?access_?key\W{0,4}[A-Za-z0-9/+=]{40}", RegexOptions.None, TimeoutMs)]
    public static partial Regex AwsSecretKey();

    [GeneratedRegex(@"\bAIza[0-9A-Za-z_-]{35}(?![0-9A-Za-z_-])", RegexOptions.None, TimeoutMs)]
    public static partial Regex GcpApiKey();

    [GeneratedRegex(@"\b(?:gh[pousr]_[A-Za-z0-9]{36}|github_pat_[A-Za-z0-9_]{82})\b", RegexOptions.None, TimeoutMs)]
    public static partial Regex GitHubToken();

    [GeneratedRegex(@"\b(?:xox[abposr]-[A-Za-z0-9-]{10,}|https://hooks\.slack\.com/services/[A-Za-z0-9/]{20,})", RegexOptions.None, TimeoutMs)]
    public static partial Regex SlackToken();

    [GeneratedRegex(@"-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?-----(?:[\s\S]{0,8192}?-----END [A-Z ]*PRIVATE KEY(?: BLOCK)?-----)?", RegexOptions.None, TimeoutMs)]
    public static partial Regex PrivateKey();

    [GeneratedRegex(@"\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{16,}", RegexOptions.None, TimeoutMs)]
    public static partial Regex Jwt();
}
