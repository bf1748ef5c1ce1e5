namespace ShadowMcp.Cli.Siem;

/// <summary>The cursor file exists but cannot be read or written.</summary>
internal sealed class SiemCursorException(string message, Exception inner) : Exception(message, inner);
