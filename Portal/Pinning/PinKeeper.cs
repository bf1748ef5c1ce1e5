using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Protocol;
using ShadowMcp.Portal.Config;
using ShadowMcp.Portal.Store;

namespace ShadowMcp.Portal.Pinning;

/// <summary>
/// Tool-definition pinning. The first definitions seen for a server are pinned (its approval), annotations
/// included. A later definition that differs, or a new tool, is drift: recorded once as a finding, and hidden when
/// the server's pinning mode is "hide", until `portal approve SERVER` pins what is observed now. Whatever the
/// mode, the annotations policy sees are the pinned ones.
/// </summary>
internal sealed partial class PinKeeper(PortalStore store, TimeProvider time, ILogger<PinKeeper> logger)
{
    // Two refreshes of one server (start-up and a list_changed) must not both pin a fresh server.
    private readonly ConcurrentDictionary<string, object> _locks = new(StringComparer.Ordinal);

    public PinView Check(UpstreamConfig upstream, IReadOnlyList<Tool> tools)
    {
        lock (_locks.GetOrAdd(upstream.Id, _ => new object()))
        {
            try { return CheckLocked(upstream, tools); }
            catch (Microsoft.EntityFrameworkCore.DbUpdateException)
            {
                // Another writer (the state saver, `portal approve`) added a row first; read again and redo.
                return CheckLocked(upstream, tools);
            }
        }
    }

    private PinView CheckLocked(UpstreamConfig upstream, IReadOnlyList<Tool> tools)
    {
        var now = time.GetUtcNow();
        var definitions = tools.GroupBy(t => t.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var byName = definitions.ToDictionary(kv => kv.Key, kv => kv.Value[0], StringComparer.Ordinal);
        var observed = definitions.ToDictionary(kv => kv.Key, kv => ToolFingerprint.Compute(kv.Value), StringComparer.Ordinal);
        using var db = store.Open();
        var existing = db.ToolObservations.Where(o => o.ServerId == upstream.Id).ToDictionary(o => o.ToolName, StringComparer.Ordinal);
        foreach (var (name, fp) in observed)
        {
            var annotations = ToolFingerprint.AnnotationsJson(byName[name].Annotations);
            var description = byName[name].Description;
            if (existing.TryGetValue(name, out var row)) { row.Fingerprint = fp; row.Annotations = annotations; row.SeenAt = now; row.Description = description; }
            else db.ToolObservations.Add(new ToolObservationRow
            {
                ServerId = upstream.Id, ToolName = name, Fingerprint = fp, Annotations = annotations, SeenAt = now, Description = description,
            });
        }
        db.ToolObservations.RemoveRange(existing.Values.Where(o => !observed.ContainsKey(o.ToolName)));
        if (upstream.Pinning == "off")
        {
            db.SaveChanges();
            var live = byName.ToDictionary(kv => kv.Key, kv => kv.Value.Annotations, StringComparer.Ordinal);
            return new PinView(new HashSet<string>(), live);
        }

        var pins = db.ToolPins.Where(p => p.ServerId == upstream.Id).ToDictionary(p => p.ToolName, StringComparer.Ordinal);
        if (pins.Count == 0)
        {
            foreach (var (name, fp) in observed)
                db.ToolPins.Add(pins[name] = new ToolPinRow
                {
                    ServerId = upstream.Id, ToolName = name, Fingerprint = fp,
                    Annotations = ToolFingerprint.AnnotationsJson(byName[name].Annotations), PinnedAt = now,
                });
            MarkApproved(db, upstream.Id, now);
        }
        UpgradeLegacyPins(upstream.Id, pins, byName, observed);

        var hidden = new HashSet<string>(StringComparer.Ordinal);
        var known = db.PinDrifts.Where(d => d.ServerId == upstream.Id).Select(d => new { d.ToolName, d.ObservedFingerprint }).ToList()
            .Select(d => (d.ToolName, d.ObservedFingerprint)).ToHashSet();
        foreach (var (name, fp) in observed)
        {
            var pinned = pins.GetValueOrDefault(name)?.Fingerprint;
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
        var approved = observed.Keys.ToDictionary(
            n => n, n => pins.TryGetValue(n, out var p) ? ToolFingerprint.ParseAnnotations(p.Annotations) : null, StringComparer.Ordinal);
        return new PinView(hidden, approved);
    }

    /// <summary>
    /// Pins made before annotations were pinned hold the old fingerprint and no annotations. When the old
    /// fingerprint still matches, the current annotations and title are taken into the pin once (as at first
    /// approval); otherwise the pin stays as it is and the tool is drift.
    /// </summary>
    private void UpgradeLegacyPins(string serverId, Dictionary<string, ToolPinRow> pins, Dictionary<string, Tool> byName,
        Dictionary<string, string> observed)
    {
        foreach (var pin in pins.Values.Where(p => p.Annotations is null))
        {
            if (!byName.TryGetValue(pin.ToolName, out var tool) || ToolFingerprint.ComputeLegacy(tool) != pin.Fingerprint) continue;
            pin.Fingerprint = observed[pin.ToolName];
            pin.Annotations = ToolFingerprint.AnnotationsJson(tool.Annotations);
            LogUpgraded(serverId, pin.ToolName);
        }
    }

    /// <summary>Pins the definitions last observed for a server. Returns how many tools are pinned now.</summary>
    public static int Approve(PortalStore store, string serverId, TimeProvider time)
    {
        using var db = store.Open();
        var observed = db.ToolObservations.Where(o => o.ServerId == serverId).ToList();
        if (observed.Count == 0) return 0;
        var now = time.GetUtcNow();
        db.ToolPins.RemoveRange(db.ToolPins.Where(p => p.ServerId == serverId));
        db.ToolPins.AddRange(observed.Select(o => new ToolPinRow
        {
            ServerId = serverId, ToolName = o.ToolName, Fingerprint = o.Fingerprint, Annotations = o.Annotations ?? "{}", PinnedAt = now,
        }));
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

    [LoggerMessage(Level = LogLevel.Information, Message = "Pin of {Server}/{Tool} upgraded to cover annotations and title")]
    private partial void LogUpgraded(string server, string tool);
}
