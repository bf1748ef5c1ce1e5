namespace ShadowMcp.Portal.Dlp;

/// <summary>A detector matched at a JSON path. The matched text itself is never kept.</summary>
internal readonly record struct DlpHit(string Detector, string Path);
