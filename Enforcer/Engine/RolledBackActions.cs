using ShadowMcp.Enforcer.Store;

namespace ShadowMcp.Enforcer.Engine;

/// <summary>
/// Which actions a later rollback undid, read from the log: a rollback row on a backend restores the state before
/// the action it names, so that action and every later change on the same backend before the rollback are undone.
/// </summary>
public static class RolledBackActions
{
    /// <summary>Action id to the rollback row that undid it.</summary>
    public static IReadOnlyDictionary<long, ActionSummary> Find(IReadOnlyList<ActionSummary> log)
    {
        var undone = new Dictionary<long, ActionSummary>();
        foreach (var rollback in log.Where(a => a.Command == Commands.Rollback && a.Result == ActionResults.Ok && a.RollsBackTo is not null))
        {
            foreach (var a in log)
            {
                if (a.Backend == rollback.Backend && a.Command != Commands.Rollback
                    && a.Id >= rollback.RollsBackTo && a.Id < rollback.Id)
                    undone.TryAdd(a.Id, rollback);
            }
        }
        return undone;
    }
}
