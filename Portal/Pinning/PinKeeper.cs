using Microsoft.Extensions.Logging;
using ModelContextProtocol.Protocol;
using ShadowMcp.Portal.Config;
using ShadowMcp.Portal.Store;

namespace ShadowMcp.Portal.Pinning;

/// <summary>
/// Tool-definition pinning. The first definitions seen for a server are pinned (its approval). A later
/// definition that differs, or a new tool, is drift: recorded once as a finding, and hidden when the server's
/// pinning mode is "hide", until `portal approve SERVER` pins what is observed now.
/// </summary>
internal sealed partial class PinKeeper(PortalStore store, TimeProvider time, ILogger<PinKeeper> logger)
{
    /// <returns>The upstream tool names to hide.</returns>
    public IReadOnlySet<string> Check(UpstreamConfig upstream, IReadOnlyList<Tool> tools)
    {
        var now = time.GetUtcNow();
        var observed = tools.GroupBy(t => t.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => ToolFingerprint.Compute(g.First()), StringComparer.Ordinal);
        using var db = store.Open();
        var existing = db.ToolObservations.Where(o => o.ServerId == upstream.Id).ToDictionary(o => o.ToolName, StringComparer.Ordinal);
        foreach (var (name, fp) in observed)
        {
            if (existing.TryGetValue(name, out var row)) { row.Fingerprint = fp; row.SeenAt = now; }
            else db.ToolObservations.Add(new ToolObservationRow { ServerId = upstream.Id, ToolName = name, Fingerprint = fp, SeenAt = now });
        }
        db.ToolObservations.RemoveRange(existing.Values.Where(o => !observed.ContainsKey(o.ToolName)));
        if (upstream.Pinning == "off") { db.SaveChanges(); return new HashSet<string>(); }

        var pins = db.ToolPins.Where(p => p.ServerId == upstream.Id).ToDictionary(p => p.ToolName, p => p.Fingerprint, StringComparer.Ordinal);
        if (pins.Count == 0)
        {
            db.ToolPins.AddRange(observed.Select(o => new ToolPinRow { ServerId = upstream.Id, ToolName = o.Key, Fingerprint = o.Value, PinnedAt = now }));
            MarkApproved(db, upstream.Id, now);
            db.SaveChanges();
            return new HashSet<string>();
        }

        var hidden = new HashSet<string>(StringComparer.Ordinal);
        var known = db.PinDrifts.Where(d => d.ServerId == upstream.Id).Select(d => new { d.ToolName, d.ObservedFingerprint }).ToList()
            .Select(d => (d.ToolName, d.ObservedFingerprint)).ToHashSet();
        foreach (var (name, fp) in observed)
        {
            var pinned = pins.GetValueOrDefault(name);
            if (pinned == fp) continue;
            if (upstream.Pinning == "hide") hidden.Add(name);
            if (!known.Contains((name, fp)))
            {
                db.PinDrifts.Add(new PinDriftRow
                {
                    ServerId = upstream.Id, ToolName = name, PinnedFingerprint = pinned, ObservedFingerprint = fp,
                    DetectedAt = now, Action = upstream.Pinning,
                });
                LogDrift(upstream.Id, name, pinned is null ? "new tool" : "definition changed", upstream.Pinning);
            }
        }
        db.SaveChanges();
        return hidden;
    }

    /// <summary>Pins the definitions last observed for a server. Returns how many tools are pinned now.</summary>
    public static int Approve(PortalStore store, string serverId, TimeProvider time)
    {
        using var db = store.Open();
        var observed = db.ToolObservations.Where(o => o.ServerId == serverId).ToList();
        if (observed.Count == 0) return 0;
        var now = time.GetUtcNow();
        db.ToolPins.RemoveRange(db.ToolPins.Where(p => p.ServerId == serverId));
        db.ToolPins.AddRange(observed.Select(o => new ToolPinRow { ServerId = serverId, ToolName = o.ToolName, Fingerprint = o.Fingerprint, PinnedAt = now }));
        MarkApproved(db, serverId, now);
        db.SaveChanges();
        return observed.Count;
    }

    private static void MarkApproved(PortalDbContext db, string serverId, DateTimeOffset now)
    {
        var state = db.UpstreamStates.Find(serverId);
        if (state is null) db.UpstreamStates.Add(new UpstreamStateRow { ServerId = serverId, ApprovedAt = now });
        else state.ApprovedAt = now;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Tool drift on {Server}/{Tool}: {What} (action {Action})")]
    private partial void LogDrift(string server, string tool, string what, string action);
}
