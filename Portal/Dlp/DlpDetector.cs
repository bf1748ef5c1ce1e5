namespace ShadowMcp.Portal.Dlp;

/// <summary>One named detector. Matching runs on folded text; <see cref="Find"/> reports places in the original.</summary>
internal sealed class DlpDetector(string name)
{
    public string Name { get; } = name;

    public IEnumerable<DlpMatch> Find(string text) => DlpScanner.FindMatches(text).Where(m => m.Detector == Name);
}
