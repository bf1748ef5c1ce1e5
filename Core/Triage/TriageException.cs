namespace ShadowMcp.Core.Triage;

/// <summary>A triage action that cannot be recorded as asked (an over-long note, no actor); the message says why.</summary>
public sealed class TriageException(string message) : Exception(message);
