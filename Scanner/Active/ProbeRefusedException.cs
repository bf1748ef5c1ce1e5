namespace ShadowMcp.Scanner.Active;

/// <summary>A target lies outside the allow list; nothing was sent to it.</summary>
public sealed class ProbeRefusedException(string message) : Exception(message);
