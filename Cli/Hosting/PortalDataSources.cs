using ShadowMcp.Admin.Sources;
using ShadowMcp.Portal.Config;
using ShadowMcp.Portal.Reading;
using ShadowMcp.Reports.Sources;

namespace ShadowMcp.Cli.Hosting;

/// <summary>
/// The portal's audit log and config as the weekly report and the admin UI see them, when `serve` runs the portal.
/// </summary>
internal sealed class PortalDataSources(PortalConfig config, string dbPath) : IPortalActivitySource, IAuditChainSource, IPortalAdminSource
{
    private readonly PortalAuditReader _reader = new(dbPath);

    public ValueTask<PortalActivity?> GetActivityAsync(DateTime fromUtc, DateTime toUtc, CancellationToken cancellationToken)
    {
        var usage = _reader.Usage(fromUtc, toUtc);
        return ValueTask.FromResult<PortalActivity?>(new PortalActivity
        {
            Calls = usage.Calls,
            ByServerAndGroup = [.. usage.ByServerAndGroup.Select(c => new PortalCallCount(c.Server, c.Group, c.Calls))],
            PolicyDenials = usage.PolicyDenials,
            DlpHits = usage.DlpHits,
            CallerAddresses = usage.Users,
            RedirectedToPortal = usage.Conversions,
        });
    }

    public ValueTask<AuditChainStatus?> VerifyAsync(CancellationToken cancellationToken) =>
        ValueTask.FromResult<AuditChainStatus?>(Status());

    public ValueTask<AuditChainStatus?> VerifyAuditAsync(CancellationToken cancellationToken) =>
        ValueTask.FromResult<AuditChainStatus?>(Status());

    public ValueTask<AuditLogPage?> GetAuditAsync(int skip, int take, CancellationToken cancellationToken)
    {
        var (entries, total) = _reader.Page(skip, take);
        return ValueTask.FromResult<AuditLogPage?>(new AuditLogPage(
            [.. entries.Select(e => new AuditEntryView(e.Seq, e.TimeUtc, e.User, e.Method, e.Server is null ? e.Tool ?? "" : $"{e.Server} {e.Tool}".Trim(),
                e.Outcome, e.DlpHits is null ? e.Decision : $"{e.Decision}; DLP: {e.DlpHits}", e.Hash))],
            total));
    }

    public ValueTask<PortalOverview?> GetOverviewAsync(CancellationToken cancellationToken)
    {
        var servers = config.Upstreams.Select(u => new PortalServerView(u.Id, u.Url ?? u.Command ?? "", u.Transport, "configured",
            [.. config.Groups.Where(g => g.Value.Servers.ContainsKey(u.Id)).Select(g => g.Key).Order(StringComparer.Ordinal)])).ToList();
        // Exposed as the portal decides it (a tool disabled by config is refused, so it must not read "yes"), and the
        // description callers see: the config's override, else the upstream's own.
        var upstreams = config.Upstreams.ToDictionary(u => u.Id, StringComparer.Ordinal);
        var tools = _reader.PinnedTools().Select(t =>
        {
            var upstream = upstreams.GetValueOrDefault(t.Server);
            var description = upstream?.DescriptionOverrides.GetValueOrDefault(t.Tool) ?? t.Description;
            return new PortalToolView(t.Server, t.Tool, description, upstream?.Tools.Exposes(t.Tool) ?? false);
        }).ToList();
        var policies = config.Groups.OrderBy(g => g.Key, StringComparer.Ordinal).SelectMany(g => g.Value.Servers.Select(s =>
            new PortalPolicyView($"{g.Key} → {s.Key}", "allow", g.Key, $"{s.Key}: {string.Join(", ", s.Value)}",
                g.Value.ReadOnly ? "read-only tools only" : null))).ToList();
        return ValueTask.FromResult<PortalOverview?>(new PortalOverview(servers, tools, policies));
    }

    private AuditChainStatus Status()
    {
        var v = _reader.Verify();
        return new AuditChainStatus(v.Intact, v.Entries, v.Intact ? "intact" : string.Join("; ", v.Problems.Take(5)));
    }
}
