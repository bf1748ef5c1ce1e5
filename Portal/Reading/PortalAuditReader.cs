using Microsoft.EntityFrameworkCore;
using ShadowMcp.Portal.Audit;
using ShadowMcp.Portal.Store;

namespace ShadowMcp.Portal.Reading;

/// <summary>
/// Read-only view of the portal's audit log for reports and the admin UI: chain verification, usage over a period,
/// and pages of entries. It never writes, so it can run beside a live portal on the same store.
/// </summary>
public sealed class PortalAuditReader(string dbPath)
{
    private readonly Lazy<PortalStore> _store = new(() => new PortalStore(dbPath));

    private static readonly string DlpBlockedOutcome = Pipeline.CallOutcomes.AuditName(Pipeline.CallOutcome.DlpBlocked);

    public PortalAuditVerification Verify()
    {
        var problems = AuditVerifier.Verify(_store.Value);
        using var db = _store.Value.Open();
        var entries = db.Audit.LongCount();
        return new PortalAuditVerification(problems.Count == 0, entries, [.. problems.Select(p => $"row {p.Seq}: {p.Kind}: {p.Detail}")]);
    }

    public PortalUsage Usage(DateTime fromUtc, DateTime toUtc)
    {
        using var db = _store.Value.Open();
        var from = new DateTimeOffset(DateTime.SpecifyKind(fromUtc, DateTimeKind.Utc));
        var to = new DateTimeOffset(DateTime.SpecifyKind(toUtc, DateTimeKind.Utc));
        // Times are stored as text in the portal's own format; filter in memory after a coarse fetch of the columns used.
        var rows = db.Audit.AsNoTracking()
            .Select(a => new { a.Time, a.User, a.Group, a.Server, a.Method, a.Outcome, a.Decision, a.DlpHits })
            .AsEnumerable().Where(a => a.Time >= from && a.Time < to).ToList();
        var calls = rows.Where(a => a.Method == "tools/call" && a.Outcome == "ok").ToList();
        return new PortalUsage(
            Calls: calls.Count,
            ByServerAndGroup: [.. calls.GroupBy(a => (Server: a.Server ?? "portal", a.Group)).OrderBy(g => g.Key.Server, StringComparer.Ordinal)
                .ThenBy(g => g.Key.Group, StringComparer.Ordinal).Select(g => new PortalUsageCount(g.Key.Server, g.Key.Group, g.LongCount()))],
            PolicyDenials: rows.LongCount(a => a.Outcome == "denied"),
            // A DLP refusal counts even when its row names no detector (code mode's vault refusal writes none).
            DlpHits: rows.LongCount(a => !string.IsNullOrEmpty(a.DlpHits) || a.Outcome == DlpBlockedOutcome),
            Conversions: rows.LongCount(a => a.Decision.StartsWith("conversion", StringComparison.Ordinal)),
            Users: [.. rows.Where(a => a.Outcome != "redirected").Select(a => a.User).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)]);
    }

    /// <summary>Newest first.</summary>
    public (IReadOnlyList<PortalAuditEntry> Entries, long Total) Page(int skip, int take)
    {
        using var db = _store.Value.Open();
        var total = db.Audit.LongCount();
        var rows = db.Audit.AsNoTracking().OrderByDescending(a => a.Seq).Skip(skip).Take(take).ToList();
        return ([.. rows.Select(a => new PortalAuditEntry(a.Seq, a.Time.UtcDateTime, a.User, a.Group, a.ClientName, a.Server, a.Method, a.Tool,
            a.Outcome, a.Decision, a.DlpHits, a.DurationMs, a.Hash))], total);
    }

    /// <summary>Rows after <paramref name="afterSeq"/>, oldest first, at most <paramref name="take"/>: the SIEM export's read.</summary>
    public IReadOnlyList<PortalAuditEvent> After(long afterSeq, int take)
    {
        using var db = _store.Value.Open();
        return [.. db.Audit.AsNoTracking().Where(a => a.Seq > afterSeq).OrderBy(a => a.Seq).Take(take).AsEnumerable()
            .Select(a => new PortalAuditEvent(a.Seq, a.Time, a.User, a.Group, a.ClientName, a.ClientVersion, a.Server, a.Method, a.Tool,
                a.ArgumentBytes, a.ArgumentHash, a.DurationMs, a.Outcome, a.Decision, a.DlpHits, a.ExecutionId, a.PrevHash, a.Hash, a.HashKind))];
    }

    /// <summary>Pinned tools per server (what the portal approved) with their last seen description, for the admin overview.</summary>
    public IReadOnlyList<(string Server, string Tool, string? Description)> PinnedTools()
    {
        using var db = _store.Value.Open();
        var seen = db.ToolObservations.AsNoTracking().Select(o => new { o.ServerId, o.ToolName, o.Description }).AsEnumerable()
            .ToDictionary(o => (o.ServerId, o.ToolName), o => o.Description);
        return [.. db.ToolPins.AsNoTracking().OrderBy(p => p.ServerId).ThenBy(p => p.ToolName).AsEnumerable()
            .Select(p => (p.ServerId, p.ToolName, seen.GetValueOrDefault((p.ServerId, p.ToolName))))];
    }
}

public sealed record PortalAuditVerification(bool Intact, long Entries, IReadOnlyList<string> Problems);

public sealed record PortalUsage(long Calls, IReadOnlyList<PortalUsageCount> ByServerAndGroup, long PolicyDenials, long DlpHits,
    long Conversions, IReadOnlyList<string> Users);

public sealed record PortalUsageCount(string Server, string Group, long Calls);

public sealed record PortalAuditEntry(long Seq, DateTime TimeUtc, string User, string Group, string? ClientName, string? Server,
    string Method, string? Tool, string Outcome, string Decision, string? DlpHits, double DurationMs, string Hash);
