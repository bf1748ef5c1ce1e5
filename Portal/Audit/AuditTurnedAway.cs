using System.Globalization;

namespace ShadowMcp.Portal.Audit;

/// <summary>
/// Counts calls that never ran because the audit log had no room for their rows (refused while the store was down,
/// or cancelled while waiting for room), instead of a row each: such a row would need the room that was missing.
/// The counts go into the log as one summary row per reason once it takes rows again.
/// </summary>
internal sealed class AuditTurnedAway
{
    public const string StoreDown = "refused: audit store unavailable";
    public const string CancelledWaiting = "cancelled while waiting for room in the audit queue";
    private readonly Dictionary<string, long> _counts = new(StringComparer.Ordinal);

    public void Count(string reason)
    {
        lock (_counts) _counts[reason] = _counts.GetValueOrDefault(reason) + 1;
    }

    /// <summary>One summary row per reason counted since the last call, and the counts start again.</summary>
    public List<AuditRecord> Take()
    {
        lock (_counts)
        {
            var rows = _counts.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => new AuditRecord("portal", "", null, null,
                null, "calls turned away", null, 0, null, null, 0, "audit-unavailable",
                string.Create(CultureInfo.InvariantCulture, $"{c.Value} call(s) {c.Key}"), null)).ToList();
            _counts.Clear();
            return rows;
        }
    }
}
