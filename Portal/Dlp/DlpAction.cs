namespace ShadowMcp.Portal.Dlp;

internal enum DlpAction { Off, Log, Redact, Block }
