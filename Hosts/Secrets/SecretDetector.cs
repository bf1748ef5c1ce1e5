using System.Text.RegularExpressions;

namespace ShadowMcp.Hosts.Secrets;

/// <summary>
/// Says whether a value written in a config is a credential, and of which kind. Values that only refer to one
/// (<c>${env:GITHUB_TOKEN}</c>, <c>${input:pat}</c>, <c>$TOKEN</c>, <c>%TOKEN%</c>) are the safe way to configure a
/// server and are not findings.
/// </summary>
public static class SecretDetector
{
    private static readonly (string Kind, Func<Regex> Pattern)[] Shapes =
    [
        ("GitHub token", SecretPatterns.GitHubToken),
        ("AWS access key", SecretPatterns.AwsAccessKey),
        ("Slack token", SecretPatterns.SlackToken),
        ("API key (sk-)", SecretPatterns.SkApiKey),
        ("Google API key", SecretPatterns.GoogleApiKey),
        ("JWT", SecretPatterns.Jwt),
        ("private key", SecretPatterns.PrivateKey),
    ];

    /// <summary>The kind of credential <paramref name="value"/> is, given the env var / header / option it is under.</summary>
    public static string? Classify(string? name, string? value)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Length < 8 || IsReference(value)) return null;
        try
        {
            foreach (var (kind, pattern) in Shapes)
                if (pattern().IsMatch(value)) return kind;
            if (SecretPatterns.AuthorizationValue().IsMatch(value) && !IsReference(value.Trim()[(value.Trim().IndexOf(' ') + 1)..]))
                return "bearer token";
            if (name is not null)
            {
                if (name.Contains("aws", StringComparison.OrdinalIgnoreCase) && name.Contains("secret", StringComparison.OrdinalIgnoreCase)
                    && SecretPatterns.AwsSecretValue().IsMatch(value))
                    return "AWS secret key";
                if (SecretPatterns.CredentialName().IsMatch(name) && LooksRandom(value)) return "credential";
            }
        }
        catch (RegexMatchTimeoutException)
        {
            // A value built to make a pattern backtrack is not a normal config value: say so rather than pass it.
            return "unreadable value (pattern timeout)";
        }
        return null;
    }

    private static bool IsReference(string v)
    {
        var t = v.Trim();
        return t.StartsWith("${", StringComparison.Ordinal) && t.EndsWith('}')
            || t.StartsWith('$') && t.Skip(1).All(c => char.IsAsciiLetterOrDigit(c) || c == '_')
            || t.Length > 2 && t.StartsWith('%') && t.EndsWith('%')
            || t.StartsWith('<') && t.EndsWith('>')
            || t.StartsWith("{{", StringComparison.Ordinal) && t.EndsWith("}}", StringComparison.Ordinal);
    }

    /// <summary>A credential-named value that is long and mixes letters and digits, unlike a path, a URL or a flag.</summary>
    private static bool LooksRandom(string v)
    {
        if (v.Length < 16 || v.Length > 4096 || v.Contains(' ') || v.Contains("://", StringComparison.Ordinal)) return false;
        if (v.StartsWith('/') || v.StartsWith('.') || v.Contains('\\')) return false;
        bool letter = false, digit = false;
        foreach (var c in v)
        {
            if (char.IsAsciiLetter(c)) letter = true;
            else if (char.IsAsciiDigit(c)) digit = true;
        }
        return letter && digit;
    }
}
