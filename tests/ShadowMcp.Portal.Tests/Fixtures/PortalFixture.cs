using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using ShadowMcp.Portal.Auth;
using ShadowMcp.Portal.Config;
using ShadowMcp.Portal.Hosting;
using ShadowMcp.Portal.Store;
using ShadowMcp.Portal.Upstreams;

namespace ShadowMcp.Portal.Tests.Fixtures;

/// <summary>A real portal on 127.0.0.1 (port chosen by the OS) with its own store file in a temp folder.</summary>
internal sealed class PortalFixture : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly List<McpClient> _clients = [];

    private PortalFixture(WebApplication app, string dir, PortalConfig config)
    {
        _app = app;
        Directory = dir;
        Config = config;
    }

    public string Directory { get; }
    public PortalConfig Config { get; }
    public string BaseUrl => _app.Urls.First();
    public string McpUrl => BaseUrl + "/mcp";
    public IServiceProvider Services => _app.Services;
    public PortalStore Store => Services.GetRequiredService<PortalStore>();
    public UpstreamRegistry Registry => Services.GetRequiredService<UpstreamRegistry>();
    public string DbPath => Path.Combine(Directory, "shadowmcp.db");

    /// <param name="time">A fake clock for deadlines and summaries; the system clock when null.</param>
    /// <param name="store">Another store than the folder's own file: a PostgreSQL URL that several replicas share.</param>
    public static async Task<PortalFixture> StartAsync(PortalConfig config, string? dir = null, TimeProvider? time = null, string? store = null)
    {
        dir ??= TempDir.Create();
        var app = PortalHost.Build(config, store ?? Path.Combine(dir, "shadowmcp.db"), ["http://127.0.0.1:0"], LogLevel.Warning, time);
        await app.StartAsync();
        return new PortalFixture(app, dir, config);
    }

    /// <summary>Audit rows are written behind the request; wait for them before reading the table.</summary>
    public Task FlushAuditAsync() => Services.GetRequiredService<ShadowMcp.Portal.Audit.AuditLog>().FlushAsync();

    public string CreateToken(string group, TimeSpan? lifetime = null, string? name = null) =>
        Services.GetRequiredService<PortalRuntime>().Tokens.Create(group, name, lifetime).Token;

    /// <param name="endpoint">Where to connect instead of this portal (a load balancer in front of it).</param>
    public async Task<McpClient> ConnectAsync(string bearer, string? protocolVersion = null, string? endpoint = null)
    {
        var transport = new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = new Uri(endpoint ?? McpUrl),
            TransportMode = HttpTransportMode.StreamableHttp,
            AdditionalHeaders = new Dictionary<string, string> { ["Authorization"] = $"Bearer {bearer}" },
        });
        var client = await McpClient.CreateAsync(transport, new McpClientOptions
        {
            ClientInfo = new Implementation { Name = "portal-tests", Version = "9.9.9" },
            ProtocolVersion = protocolVersion,
        });
        _clients.Add(client);
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var c in _clients)
        {
            try { await c.DisposeAsync(); }
            catch (Exception) { /* the portal may already be gone in a test */ }
        }
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    public static PortalConfig Config1(params (string Id, string Url)[] upstreams)
    {
        var config = new PortalConfig();
        config.Portal.RefreshSeconds = 3600;
        foreach (var (id, url) in upstreams) config.Upstreams.Add(new UpstreamConfig { Id = id, Url = url, TimeoutSeconds = 10 });
        return config;
    }
}
