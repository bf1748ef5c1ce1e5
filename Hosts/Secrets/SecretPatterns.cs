using System.Text.RegularExpressions;

namespace ShadowMcp.Hosts.Secrets;

/// <summary>
/// Credential shapes with a fixed, vendor-documented prefix or form, the same families the portal's DLP recognises
/// (written here again so the two can change independently). Bounded quantifiers and a match timeout keep a hostile
/// config from costing more than a few milliseconds.
/// </summary>
internal static partial class SecretPatterns
{
    private const int TimeoutMs = 100;

    [GeneratedRegex(@"\b(?:gh[pousr]_[A-Za-z0-9]{36}|github_pat_[A-Za-z0-9_]{82})\b", RegexOptions.None, TimeoutMs)]
    public static partial Regex GitHubToken();

    [GeneratedRegex(@"\b(?:AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16}\b", RegexOptions.None, TimeoutMs)]
    public static partial Regex AwsAccessKey();

    [GeneratedRegex(@"\b(?:xox[abposr]-[A-Za-z0-9-]{10,200}|https://hooks\.slack\.com/services/[A-Za-z0-9/]{20,200})", RegexOptions.None, TimeoutMs)]
    public static partial Regex SlackToken();

    /// <summary>OpenAI (sk-, sk-proj-) and Anthropic (sk-ant-) style API keys.</summary>
    [GeneratedRegex(@"\bsk-(?:ant-|proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,200}", RegexOptions.None, TimeoutMs)]
    public static partial Regex SkApiKey();

    [GeneratedRegex(@"\bAIza[0-9A-Za-z_-]{35}(?![0-9A-Za-z_-])", RegexOptions.None, TimeoutMs)]
    public static partial Regex GoogleApiKey();

    [GeneratedRegex(@"\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{16,}", RegexOptions.None, TimeoutMs)]
    public static partial Regex Jwt();

    [GeneratedRegex(@"-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY", RegexOptions.None, TimeoutMs)]
    public static partial Regex PrivateKey();

    /// <summary>"Bearer xyz..." with a literal token, as written into an Authorization header.</summary>
    [GeneratedRegex(@"^\s*(?:Bearer|Token|Basic)\s+[A-Za-z0-9._~+/=-]{16,}\s*$", RegexOptions.IgnoreCase, TimeoutMs)]
    public static partial Regex AuthorizationValue();

    /// <summary>A 40-character AWS secret key under a name that says it is one.</summary>
    [GeneratedRegex(@"^[A-Za-z0-9/+=]{40}$", RegexOptions.None, TimeoutMs)]
    public static partial Regex AwsSecretValue();

    /// <summary>Environment or header names that say "this is a credential".</summary>
    [GeneratedRegex(@"(?i)(?:token|secret|passw(?:or)?d|api[_-]?key|access[_-]?key|private[_-]?key|credential|auth)", RegexOptions.None, TimeoutMs)]
    public static partial Regex CredentialName();
}
