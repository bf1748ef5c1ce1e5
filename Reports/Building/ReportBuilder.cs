using System.Globalization;
using Microsoft.EntityFrameworkCore;
using ShadowMcp.Core.Findings;
using ShadowMcp.Core.Inventory;
using ShadowMcp.Core.Reading;
using ShadowMcp.Core.Store;
using ShadowMcp.Core.Triage;
using ShadowMcp.Reports.Model;
using ShadowMcp.Reports.Periods;
using ShadowMcp.Reports.Sources;

namespace ShadowMcp.Reports.Building;

/// <summary>
/// Reads the store (never writes findings) and the optional sources, and builds the one <see cref="ReportDocument"/>
/// every writer prints. The same store, period and sources give an equal document.
/// </summary>
public sealed class ReportBuilder(ReportSources sources, TimeProvider? time = null)
{
    private readonly SummaryBuilder _summary = new(time ?? TimeProvider.System);

    private const int TrendWeeks = 8;
    private const int TopClientCount = 20;

    // Readers for the activity pass: one per core, at most two (it splits by week, and more runs gain little).
    private static readonly int ActivityReaders = Math.Clamp(Environment.ProcessorCount, 1, 2);

    public async Task<ReportDocument> BuildAsync(FindingStore store, ReportPeriod period, DateTime? generatedAt, CancellationToken cancellationToken)
    {
        var db = store.Context;
        var trend = Enumerable.Range(0, TrendWeeks).Select(i => ReportPeriod.WeekContaining(period.ToUtc.AddTicks(-1), period.TimeZone).ShiftWeeks(i - TrendWeeks + 1)).ToList();
        var priorFrom = period.IsIsoWeek
            ? period.ShiftWeeks(-TrendWeeks).FromUtc
            : ReportPeriod.LocalToUtc(period.FromLocal.AddDays(-7 * TrendWeeks), period.TimeZone);

        // The activity pass runs on connections of its own while this one reads the findings: the two longest reads.
        var windowsLoad = ActivityWindows.LoadAsync(store.OpenReadConnection,
            [period.FromUtc, period.ToUtc, priorFrom, .. trend.Select(t => t.FromUtc), trend[^1].ToUtc], ActivityReaders, cancellationToken);
        var rows = StoredFindingReader.ReadFindings(db);
        var windows = await windowsLoad.ConfigureAwait(false);
        bool InPeriod(long id) => windows.Active(id, period.FromUtc, period.ToUtc);
        bool InPrior(long id) => windows.Active(id, priorFrom, period.FromUtc);
        var active = rows.Where(r => InPeriod(r.Id)).ToList();
        var shadow = active.Where(r => r.Finding.Verdict == Verdict.Shadow).ToList();
        var gone = rows.Where(r => r.Finding.Verdict == Verdict.Shadow && !InPeriod(r.Id) && InPrior(r.Id))
            .OrderByDescending(r => r.Finding.LastSeen).ThenBy(r => r.EndpointKey, StringComparer.Ordinal).ToList();

        var storedEvidence = StoredFindingReader.ReadEvidence(db, active.Select(r => r.Id).ToHashSet());
        var evidence = storedEvidence.ToDictionary(p => p.Key, p => p.Value
            .Select(e => new EvidenceEntry(e.Rule, e.Title, e.Level, e.Detail, e.Count, e.FirstSeen, e.LastSeen, e.Example)).ToList());
        var sourceKinds = StoredFindingReader.ReadSourceKinds(db);
        FindingBases BasesOf(long id) => BasisRules.For(storedEvidence.GetValueOrDefault(id) ?? [], sourceKinds.GetValueOrDefault(id));
        var bases = active.ToDictionary(r => r.Id, r => BasesOf(r.Id));

        var clientsById = active.ToDictionary(r => r.Id, r => (IReadOnlyList<string>)[.. r.Finding.Clients]);
        var shadowClients = shadow.SelectMany(r => clientsById[r.Id]).ToHashSet(StringComparer.Ordinal);
        var dns = await sources.ReverseDns.ResolveAsync(shadowClients, cancellationToken).ConfigureAwait(false);

        var keys = shadow.Select(r => r.EndpointKey).Concat(gone.Select(r => r.EndpointKey)).Order(StringComparer.Ordinal).ToList();
        var states = await sources.Enforcement.GetStatesAsync(keys, period.ToUtc, cancellationToken).ConfigureAwait(false);
        string? StateOf(string key) => states is null ? null : states.TryGetValue(key, out var s) ? s.ToString() : "none";

        var portal = await sources.Portal.GetActivityAsync(period.FromUtc, period.ToUtc, cancellationToken).ConfigureAwait(false);
        var audit = await sources.Audit.VerifyAsync(cancellationToken).ConfigureAwait(false);

        string StatusOf(StoredFinding r) => r.Finding.FirstSeen >= period.FromUtc ? "new" : "active";
        var servers = shadow
            .Select(r => new ShadowServer
            {
                Endpoint = r.EndpointKey, Address = r.Finding.Endpoint.Address, Port = r.Finding.Endpoint.Port, Path = r.Finding.Endpoint.Path,
                Hosts = HostsOf(r.Finding), AddressNames = [.. r.Finding.AddressNames], Transport = r.Finding.Transport, ProtocolVersions = [.. r.Finding.ProtocolVersions],
                ServerName = r.Finding.Server?.Name, ServerVersion = r.Finding.Server?.Version, Status = StatusOf(r),
                Confidence = Math.Round(r.Finding.Confidence, 3), FirstSeen = r.Finding.FirstSeen, LastSeen = r.Finding.LastSeen,
                FlowsInPeriod = windows.Flows(r.Id, period.FromUtc, period.ToUtc),
                Clients = [.. clientsById[r.Id].Select(c => new ClientEntry(c, dns.NameOf(c)))],
                ClientApps = [.. r.Finding.ClientApps], Tools = [.. r.Finding.Tools],
                Evidence = evidence.GetValueOrDefault(r.Id) ?? [],
                Basis = bases[r.Id].Primary.ToWire(), Bases = bases[r.Id].Wire,
                Enforcement = StateOf(r.EndpointKey),
                Triage = r.Triage.ToWire(),
            })
            .ToList();
        // Each host's latest inventory in the period, read once for the risk factors and the hosts section; most stores
        // have none, and then one cheap question replaces the per-host query.
        var hosts = new HostScanReader(db);
        IReadOnlyList<HostScan>? hostScans = await hosts.AnyBeforeAsync(period.ToUtc, cancellationToken).ConfigureAwait(false)
            ? await hosts.LatestPerHostAsync(period.FromUtc, period.ToUtc, null, cancellationToken).ConfigureAwait(false)
            : null;
        var hostSecrets = Risk.HostSecretLinks.Build(hostScans ?? [], servers.Select(s => (s.Endpoint, s.Hosts)));
        servers = servers
            .Select(s => hostSecrets.TryGetValue(s.Endpoint, out var lines) ? s with { HostSecrets = lines } : s)
            .Select(s => s with { Risk = Risk.RiskScorer.Score(s, sources.RiskWeights) })
            .OrderByDescending(s => s.FlowsInPeriod).ThenBy(s => s.Endpoint, StringComparer.Ordinal).ToList();

        var topClients = shadow
            .SelectMany(r => clientsById[r.Id].Select(c => (Client: c, r.EndpointKey)))
            .GroupBy(x => x.Client, StringComparer.Ordinal)
            .Select(g => new TopClient(g.Key, dns.NameOf(g.Key), g.Count(), [.. g.Select(x => x.EndpointKey).Order(StringComparer.Ordinal)]))
            .OrderByDescending(c => c.ShadowServers).ThenBy(c => c.Address, StringComparer.Ordinal).Take(TopClientCount).ToList();

        var priorShadowClients = rows.Where(r => r.Finding.Verdict == Verdict.Shadow && InPrior(r.Id)).SelectMany(r => r.Finding.Clients).ToHashSet(StringComparer.Ordinal);
        var sanctionedNow = active.Where(r => r.Finding.Verdict == Verdict.Sanctioned).SelectMany(r => clientsById[r.Id]).ToHashSet(StringComparer.Ordinal);
        if (portal is not null) sanctionedNow.UnionWith(portal.CallerAddresses);
        var conversions = priorShadowClients.Count(c => !shadowClients.Contains(c) && sanctionedNow.Contains(c));

        var headline = new Headline
        {
            NewShadowServers = servers.Count(s => s.Status == "new"),
            StillActiveShadowServers = servers.Count(s => s.Status == "active"),
            GoneShadowServers = gone.Count,
            SuspectedEndpoints = active.Count(r => r.Finding.Verdict == Verdict.Suspected),
            SanctionedEndpointsSeen = active.Count(r => r.Finding.Verdict == Verdict.Sanctioned),
            ShadowFlows = servers.Sum(s => s.FlowsInPeriod),
            Blocked = states is null ? null : keys.Count(k => states.TryGetValue(k, out var s) && s.IsBlocked),
            SanctionedPortalCalls = portal?.Calls,
            Conversions = conversions,
            RedirectedToPortal = portal?.RedirectedToPortal,
        };

        var trendWeeks = trend.Select(w =>
        {
            var inWeek = rows.Where(r => windows.Active(r.Id, w.FromUtc, w.ToUtc)).ToList();
            var shadowInWeek = inWeek.Where(r => r.Finding.Verdict == Verdict.Shadow).ToList();
            return new TrendWeek(w.Label, shadowInWeek.Count,
                shadowInWeek.Count(r => r.Finding.FirstSeen >= w.FromUtc && r.Finding.FirstSeen < w.ToUtc),
                inWeek.Count(r => r.Finding.Verdict == Verdict.Suspected), inWeek.Count(r => r.Finding.Verdict == Verdict.Sanctioned),
                shadowInWeek.Sum(r => windows.Flows(r.Id, w.FromUtc, w.ToUtc)));
        }).ToList();

        static int VerdictOrder(Verdict v) => v switch { Verdict.Shadow => 0, Verdict.Suspected => 1, _ => 2 };
        var lines = active
            .Select(r => (Row: r, Flows: windows.Flows(r.Id, period.FromUtc, period.ToUtc)))
            .OrderBy(x => VerdictOrder(x.Row.Finding.Verdict)).ThenByDescending(x => x.Flows).ThenBy(x => x.Row.EndpointKey, StringComparer.Ordinal)
            .Select(x => new FindingLine
            {
                Endpoint = x.Row.EndpointKey, Verdict = x.Row.Finding.Verdict.ToWire(), Status = StatusOf(x.Row), Transport = x.Row.Finding.Transport,
                Hosts = string.Join(' ', HostsOf(x.Row.Finding)), ProtocolVersions = string.Join(' ', x.Row.Finding.ProtocolVersions),
                ServerName = x.Row.Finding.Server?.Name, ServerVersion = x.Row.Finding.Server?.Version, Confidence = Math.Round(x.Row.Finding.Confidence, 3),
                FirstSeen = x.Row.Finding.FirstSeen, LastSeen = x.Row.Finding.LastSeen, FlowsInPeriod = x.Flows,
                Clients = string.Join(' ', clientsById[x.Row.Id]),
                Rules = string.Join(' ', RulesOf(evidence, x.Row.Id)),
                Basis = bases[x.Row.Id].Primary.ToWire(), Bases = bases[x.Row.Id].ToString(),
                Enforcement = x.Row.Finding.Verdict == Verdict.Shadow ? StateOf(x.Row.EndpointKey) : null,
                VerdictReason = x.Row.Finding.VerdictReason,
                Triage = x.Row.Triage.ToWire(),
            }).ToList();

        var document = new ReportDocument
        {
            Period = new ReportPeriodInfo(period.Label, period.FromUtc, period.ToUtc, period.TimeZone.Id,
                period.FromLocal.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture), period.ToLocal.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)),
            GeneratedAt = generatedAt is { } g ? Utc(g) : null,
            Empty = active.Count == 0,
            Hosts = await HostSectionBuilder.BuildAsync(hosts, period, hostScans, cancellationToken).ConfigureAwait(false),
            CaptureLoss = CaptureLossSection.From(
                await new ScannedFileReader(db).LossesAsync(period.FromUtc, period.ToUtc, cancellationToken).ConfigureAwait(false)),
            Headline = headline,
            Servers = servers,
            Gone = [.. gone.Select(r => new GoneServer(r.EndpointKey, r.Finding.Server?.Name, r.Finding.LastSeen))],
            Trend = trendWeeks,
            TopClients = topClients,
            Portal = portal is null
                ? new PortalSection(new SectionStatus(false, "No portal data source is configured: sanctioned calls, policy denials and DLP hits are not known."), null)
                : new PortalSection(new SectionStatus(true, string.Create(CultureInfo.InvariantCulture, $"{portal.Calls} sanctioned calls through the portal.")), portal with
                {
                    ByServerAndGroup = [.. portal.ByServerAndGroup.OrderByDescending(c => c.Calls).ThenBy(c => c.Server, StringComparer.Ordinal).ThenBy(c => c.Group, StringComparer.Ordinal)],
                    CallerAddresses = [.. portal.CallerAddresses.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)],
                }),
            Enforcement = states is null
                ? new SectionStatus(false, "No enforcement state source is configured: blocked servers are not known.")
                : new SectionStatus(true, string.Create(CultureInfo.InvariantCulture, $"{headline.Blocked} of {keys.Count} shadow servers are blocked.")),
            Audit = audit is null
                ? new AuditSection(new SectionStatus(false, "No audit log is configured."), null)
                : new AuditSection(new SectionStatus(true, audit.Intact ? "The audit chain verifies." : "The audit chain is BROKEN."), audit),
            ReverseDns = dns.Status,
            Findings = lines,
            // The backlog as it stood when the period ended, or now for a period still in progress.
            Triage = await TriageSectionBuilder.BuildAsync(new FindingReader(db), Min(period.ToUtc, (time ?? TimeProvider.System).GetUtcNow().UtcDateTime), sources.TriageOverdueDays, cancellationToken).ConfigureAwait(false),
        };
        return document with { Summary = _summary.Build(document) };
    }

    private static IEnumerable<string> RulesOf(Dictionary<long, List<EvidenceEntry>> evidence, long id) =>
        evidence.TryGetValue(id, out var list) ? list.Select(e => e.Rule).Distinct().Order(StringComparer.Ordinal) : [];

    private static DateTime Min(DateTime a, DateTime b) => a < b ? a : b;

    private static DateTime Utc(DateTime t) => DateTime.SpecifyKind(t, DateTimeKind.Utc);

    private static IReadOnlyList<string> HostsOf(Finding f)
    {
        if (f.Endpoint.Host is not { } host || f.Hosts.Contains(host)) return [.. f.Hosts];
        var hosts = new SortedSet<string>(f.Hosts, StringComparer.Ordinal) { host };
        return [.. hosts];
    }
}
