using System.Text.RegularExpressions;

namespace ShadowMcp.Portal.Dlp;

/// <summary>A named pattern plus an optional check (Luhn, mod-97, JWT header) that weeds out look-alikes.</summary>
internal sealed class DlpDetector(string name, Regex pattern, Func<string, bool>? validate = null)
{
    public string Name { get; } = name;

    public IEnumerable<Match> Find(string text)
    {
        foreach (Match m in pattern.Matches(text))
            if (validate is null || validate(m.Value)) yield return m;
    }
}
