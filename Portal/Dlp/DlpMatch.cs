namespace ShadowMcp.Portal.Dlp;

/// <summary>A detector's match in the caller's original text (not the folded copy): for redaction and tokens.</summary>
internal sealed record DlpMatch(string Detector, int Index, int Length, string Value);
