using System.Text.RegularExpressions;

namespace ShadowMcp.Portal.Dlp;

/// <summary>
/// The detector regexes, source-generated and bounded by a match timeout. They run on folded text
/// (<see cref="DlpFolding"/>); cards and SSNs are found by <see cref="DlpDigitRuns"/>, not by a regex.
/// </summary>
internal static partial class DlpPatterns
{
    public const int TimeoutMs = 250;

    /// <summary>Case-insensitive and dashed too; the country's IBAN length decides where it ends.</summary>
    [GeneratedRegex(@"(?<![A-Za-z0-9])[A-Za-z]{2}[0-9]{2}(?:[ -]{0,2}[A-Za-z0-9]){11,32}", RegexOptions.None, TimeoutMs)]
    public static partial Regex Iban();

    [GeneratedRegex(@"\b[A-Za-z0-9._%+-]{1,64}@(?:[A-Za-z0-9-]{1,63}\.)+[A-Za-z]{2,24}\b", RegexOptions.None, TimeoutMs)]
    public static partial Regex Email();

    [GeneratedRegex(@"(?<![A-Za-z0-9])(?:AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16}(?![A-Za-z0-9])", RegexOptions.IgnoreCase, TimeoutMs)]
    public static partial Regex AwsAccessKey();

    /// <summary>
    /// A 40-char base64-ish token: an AWS secret only with context or the shape of one (see validator). It may
    /// follow "=" (KEY=secret in env files); padding "=" only ever ends base64, so none may follow it.
    /// </summary>
    [GeneratedRegex(@"(?<![A-Za-z0-9/+])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])", RegexOptions.None, TimeoutMs)]
    public static partial Regex AwsSecretKey();

    [GeneratedRegex(@"(?<![A-Za-z0-9_-])AIza[0-9A-Za-z_-]{35}(?![0-9A-Za-z_-])", RegexOptions.None, TimeoutMs)]
    public static partial Regex GcpApiKey();

    [GeneratedRegex(@"(?<![A-Za-z0-9_])(?:gh[pousr]_[A-Za-z0-9]{36}|github_pat_[A-Za-z0-9_]{82})(?![A-Za-z0-9_])", RegexOptions.None, TimeoutMs)]
    public static partial Regex GitHubToken();

    [GeneratedRegex(@"\b(?:xox[abposr]-[A-Za-z0-9-]{10,}|https://hooks\.slack\.com/services/[A-Za-z0-9/]{20,})", RegexOptions.IgnoreCase, TimeoutMs)]
    public static partial Regex SlackToken();

    /// <summary>Armour with any spacing, case or label ("BEGIN  PRIVATE KEY", "begin rsa private key"), up to its END.</summary>
    [GeneratedRegex(@"-{3,}\s*BEGIN[\s_-]+(?:[A-Z0-9]+[\s_-]+){0,3}PRIVATE[\s_-]+KEY(?:[\s_-]+BLOCK)?\s*-{3,}(?:[\s\S]{0,16384}?-{3,}\s*END[\s_-]+(?:[A-Z0-9]+[\s_-]+){0,3}PRIVATE[\s_-]+KEY(?:[\s_-]+BLOCK)?\s*-{3,})?", RegexOptions.IgnoreCase, TimeoutMs)]
    public static partial Regex PrivateKey();

    /// <summary>Armour stripped of its dashes: "PRIVATE KEY" then a DER (MII...) or OpenSSH key body.</summary>
    [GeneratedRegex(@"PRIVATE[\s_-]+KEY[^A-Za-z0-9+/]{1,20}(?:MII|b3BlbnNzaC1rZXkt)[A-Za-z0-9+/=\s]{60,}", RegexOptions.IgnoreCase, TimeoutMs)]
    public static partial Regex PrivateKeyBody();

    [GeneratedRegex(@"\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{16,}", RegexOptions.None, TimeoutMs)]
    public static partial Regex Jwt();

    /// <summary>Candidates for base64 (standard or URL-safe) or hex text worth decoding once.</summary>
    [GeneratedRegex(@"[A-Za-z0-9+/_-]{20,}={0,2}", RegexOptions.None, TimeoutMs)]
    public static partial Regex Encoded();
}
