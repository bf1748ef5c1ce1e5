using ShadowMcp.Enforcer.Store;

namespace ShadowMcp.Enforcer.Engine;

/// <summary>What one apply, rollback or expire run did: its action rows, and the backends it left alone.</summary>
public sealed record RunReport(string RunId, string Command, IReadOnlyList<ActionRow> Actions, IReadOnlyList<string> Unchanged)
{
    public bool Failed => Actions.Any(a => a.Result == ActionResults.Failed);
    public bool Changed => Actions.Any(a => a.Result == ActionResults.Ok);
}
