using System.Buffers;

namespace ShadowMcp.Portal.Dlp;

/// <summary>
/// Words that make an otherwise ambiguous shape a finding: 9 bare digits near "SSN", 40 chars near "AWS" or
/// "secret". The field is the value's property name and the name of the property holding its object or array.
/// </summary>
internal static class DlpContext
{
    private static readonly SearchValues<string> SsnWords = SearchValues.Create(
        ["ssn", "social security", "social_security", "socialsecurity", "social-security", "tax id", "taxpayer"],
        StringComparison.OrdinalIgnoreCase);

    private static readonly SearchValues<string> AwsWords = SearchValues.Create(
        ["aws", "secret", "credential", "amazon", "akia", "asia"], StringComparison.OrdinalIgnoreCase);

    public static bool Ssn(ReadOnlySpan<char> text, ReadOnlySpan<char> field) =>
        text.ContainsAny(SsnWords) || field.ContainsAny(SsnWords);

    public static bool Aws(ReadOnlySpan<char> text, ReadOnlySpan<char> field) =>
        text.ContainsAny(AwsWords) || field.ContainsAny(AwsWords);
}
