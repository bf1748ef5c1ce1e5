namespace ShadowMcp.Portal.Dlp;

/// <summary>The built-in detector set. Names are stable: they appear in errors, audit rows and redactions.</summary>
internal static class DlpDetectors
{
    public static readonly IReadOnlyList<DlpDetector> All = [.. DlpEngine.Names.Select(n => new DlpDetector(n))];
}
