namespace ShadowMcp.Enforcer.Store;

/// <summary>An action row's identity and outcome without its state blobs.</summary>
public sealed record ActionSummary(
    long Id, string RunId, string Command, string Backend, string Result, bool StateKnown, long? RollsBackTo = null, DateTime At = default);
