using System.Text.RegularExpressions;

namespace ShadowMcp.Portal.Dlp;

/// <summary>A named pattern plus an optional check (Luhn, mod-97, JWT header) that weeds out look-alikes.</summary>
internal sealed class DlpDetector(string name, Regex pattern, Func<string, bool>? validate = null)
{
    public string Name { get; } = name;

    /// <summary>The raw pattern, for the allocation-free pre-scan; a match here is only a candidate.</summary>
    public Regex Pattern { get; } = pattern;

    public IEnumerable<Match> Find(string text)
    {
        foreach (Match m in Pattern.Matches(text))
            if (validate is null || validate(m.Value)) yield return m;
    }
}
