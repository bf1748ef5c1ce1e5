using System.Text.RegularExpressions;

namespace ShadowMcp.Portal.Dlp;

/// <summary>
/// Every detector over one folded text: the regex detectors with their checks, cards and SSNs, and base64 or
/// hex segments decoded once and scanned again. With <c>found</c> null it only answers "anything?" and stops at
/// the first finding, allocating nothing for clean text.
/// </summary>
internal static class DlpEngine
{
    public const string PrivateKey = "private-key";
    public const string Jwt = "jwt";
    public const string AwsAccessKey = "aws-access-key";
    public const string AwsSecretKey = "aws-secret-key";
    public const string GcpApiKey = "gcp-api-key";
    public const string GitHubToken = "github-token";
    public const string SlackToken = "slack-token";
    public const string Iban = "iban";
    public const string Email = "email";

    /// <summary>All detector names, stable: they appear in errors, audit rows and redactions.</summary>
    public static readonly IReadOnlyList<string> Names =
    [
        PrivateKey, Jwt, AwsAccessKey, AwsSecretKey, GcpApiKey, GitHubToken, SlackToken,
        DlpDigitRuns.Card, DlpDigitRuns.Ssn, Iban, Email,
    ];

    // The shortest thing any detector matches is an e-mail address like "a@b.cd".
    public const int MinimumLength = 6;

    /// <param name="text">Folded text (<see cref="DlpFolding"/>).</param>
    /// <param name="field">The property name the text sits under, for context words; may be empty.</param>
    public static bool Analyze(ReadOnlySpan<char> text, ReadOnlySpan<char> field, DlpFindings? found, bool decode = true)
    {
        if (text.Length < MinimumLength) return false;
        var any = false;
        foreach (var (name, pattern) in Simple)
        {
            if (Matches(name, pattern, text, found)) { any = true; if (found is null) return true; }
        }
        if (Checked(text, field, found)) { any = true; if (found is null) return true; }
        if (DlpDigitRuns.Scan(text, DlpContext.Ssn(text, field), found)) { any = true; if (found is null) return true; }
        if (decode && DlpEncoded.Scan(text, field, found)) any = true;
        return any;
    }

    private static readonly (string Name, Regex Pattern)[] Simple =
    [
        (PrivateKey, DlpPatterns.PrivateKey()),
        (PrivateKey, DlpPatterns.PrivateKeyBody()),
        (GcpApiKey, DlpPatterns.GcpApiKey()),
        (GitHubToken, DlpPatterns.GitHubToken()),
        (SlackToken, DlpPatterns.SlackToken()),
        (Email, DlpPatterns.Email()),
    ];

    private static bool Matches(string name, Regex pattern, ReadOnlySpan<char> text, DlpFindings? found)
    {
        try
        {
            var any = false;
            foreach (var m in pattern.EnumerateMatches(text))
            {
                any = true;
                if (found is null) return true;
                found.Add(name, m.Index, m.Length);
            }
            return any;
        }
        catch (RegexMatchTimeoutException)
        {
            // A pathological string is itself suspicious; report it rather than let it pass unscanned.
            found?.Add(name + "-timeout", 0, text.Length);
            return true;
        }
    }

    /// <summary>Detectors whose matches need a second look: JWT header, AWS keys, IBAN length and checksum.</summary>
    private static bool Checked(ReadOnlySpan<char> text, ReadOnlySpan<char> field, DlpFindings? found)
    {
        var any = false;
        try
        {
            foreach (var m in DlpPatterns.Jwt().EnumerateMatches(text))
            {
                if (!DlpValidators.JwtHeader(text.Slice(m.Index, m.Length).ToString())) continue;
                any = true;
                if (found is null) return true;
                found.Add(Jwt, m.Index, m.Length);
            }
            foreach (var m in DlpPatterns.AwsAccessKey().EnumerateMatches(text))
            {
                var key = text.Slice(m.Index, m.Length);
                // Upper case as issued, or any case with a digit in it (a lowered key, not a lowered word).
                if (key.IndexOfAnyInRange('a', 'z') >= 0 && key[4..].IndexOfAnyInRange('0', '9') < 0) continue;
                any = true;
                if (found is null) return true;
                found.Add(AwsAccessKey, m.Index, m.Length);
            }
            var awsContext = DlpContext.Aws(text, field);
            foreach (var m in DlpPatterns.AwsSecretKey().EnumerateMatches(text))
            {
                if (!DlpValidators.AwsSecret(text.Slice(m.Index, m.Length), awsContext)) continue;
                any = true;
                if (found is null) return true;
                found.Add(AwsSecretKey, m.Index, m.Length);
            }
            foreach (var m in DlpPatterns.Iban().EnumerateMatches(text))
            {
                var length = DlpValidators.IbanLength(text.Slice(m.Index, m.Length));
                if (length == 0) continue;
                any = true;
                if (found is null) return true;
                found.Add(Iban, m.Index, length);
            }
        }
        catch (RegexMatchTimeoutException)
        {
            found?.Add("checked-timeout", 0, text.Length);
            return true;
        }
        return any;
    }
}
