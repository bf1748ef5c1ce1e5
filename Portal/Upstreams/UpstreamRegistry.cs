using Microsoft.Extensions.Logging;
using ModelContextProtocol.Protocol;
using ShadowMcp.Portal.Aggregation;
using ShadowMcp.Portal.Config;
using ShadowMcp.Portal.Pinning;
using ShadowMcp.Portal.Store;

namespace ShadowMcp.Portal.Upstreams;

/// <summary>
/// All configured upstreams and the aggregated catalog built from their caches. Each upstream refreshes on its
/// own; any change rebuilds the catalog, so a down upstream only drops out of it.
/// </summary>
internal sealed class UpstreamRegistry : IAsyncDisposable
{
    private readonly IReadOnlyList<UpstreamConnection> _upstreams;
    private readonly Dictionary<string, UpstreamConnection> _byId;
    private readonly PortalStore _store;
    private readonly TimeProvider _time;
    private readonly object _rebuildLock = new();
    private PortalCatalog _catalog = PortalCatalog.Empty;

    public UpstreamRegistry(PortalConfig config, PinKeeper pins, PortalStore store, TimeProvider time, ILoggerFactory loggers)
    {
        _store = store;
        _time = time;
        _upstreams = config.Upstreams.Select(u => new UpstreamConnection(u, pins, time, loggers)).ToList();
        _byId = _upstreams.ToDictionary(u => u.Config.Id, StringComparer.Ordinal);
        foreach (var u in _upstreams) u.Changed += OnChanged;
    }

    public PortalCatalog Catalog => Volatile.Read(ref _catalog);
    public IReadOnlyList<UpstreamConnection> Upstreams => _upstreams;

    /// <summary>Raised after the catalog was rebuilt, so sessions can be told their lists changed.</summary>
    public event Action? CatalogChanged;

    public UpstreamConnection? Find(string id) => _byId.GetValueOrDefault(id);

    public Task RefreshAllAsync(CancellationToken ct) => Task.WhenAll(_upstreams.Select(u => u.RefreshAsync(ct)));

    private Task? _first;

    /// <summary>The first refresh, started once; requests wait for it so a fresh portal does not answer empty.</summary>
    public Task EnsureRefreshedAsync()
    {
        lock (_rebuildLock) return _first ??= RefreshAllAsync(CancellationToken.None);
    }

    public IReadOnlyList<UpstreamStatus> Status() => _upstreams
        .Select(u => new UpstreamStatus(u.Config.Id, u.Config.Prefix, u.TransportName, u.Healthy, u.LastError, u.LastRefresh, u.Tools.Count, u.Hidden.Count))
        .ToList();

    private void OnChanged(UpstreamConnection changed)
    {
        lock (_rebuildLock)
        {
            var tools = CatalogBuilder.Build(_upstreams.Where(u => u.Healthy).Select(u => (u.Config, u.Tools, u.Hidden)));
            var live = _upstreams.Where(u => u.Healthy).ToList();
            var promptNames = ToolNamer.Assign(live.SelectMany(u => u.Prompts.Select(p => (u.Config.Prefix, u.Config.Id, p.Name))));
            var prompts = live.SelectMany(u => u.Prompts.Select(p =>
            {
                var name = promptNames[(u.Config.Id, p.Name)];
                return new ExposedPrompt(name, u.Config.Id, p.Name, new Prompt
                {
                    Name = name, Title = p.Title, Description = p.Description, Arguments = p.Arguments, Icons = p.Icons, Meta = p.Meta,
                });
            })).ToList();
            var resources = live.SelectMany(u => u.Resources.Select(r => new ExposedResource(u.Config.Id, r))).ToList();
            var templates = live.SelectMany(u => u.ResourceTemplates.Select(t => ExposedResourceTemplate.Create(u.Config.Id, t)))
                .OfType<ExposedResourceTemplate>().ToList();
            Volatile.Write(ref _catalog, new PortalCatalog(tools, prompts, resources, templates));
        }
        SaveState(changed);
        CatalogChanged?.Invoke();
    }

    private void SaveState(UpstreamConnection u)
    {
        try
        {
            using var db = _store.Open();
            var row = db.UpstreamStates.Find(u.Config.Id);
            if (row is null) db.UpstreamStates.Add(row = new UpstreamStateRow { ServerId = u.Config.Id });
            row.Healthy = u.Healthy;
            row.LastError = u.LastError;
            row.ToolCount = u.Tools.Count;
            if (u.Healthy) row.LastSeenAt = _time.GetUtcNow();
            db.SaveChanges();
        }
        catch (Microsoft.EntityFrameworkCore.DbUpdateException)
        {
            // Runtime state is informational; a concurrent writer losing the race is harmless.
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var u in _upstreams) await u.DisposeAsync();
    }
}
