using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ShadowMcp.Admin.Sources;

namespace ShadowMcp.Admin.Tests.Support;

/// <summary>
/// The admin UI on a real Kestrel at 127.0.0.1 (port chosen by the OS), over a temp SQLite store seeded with
/// <see cref="SeededFindings"/>. Portal and enforcement are the test fakes unless <c>notConfigured</c> is set.
/// </summary>
internal sealed class AdminHost : IAsyncDisposable
{
    public const string Token = "correct-horse-battery-staple-42";

    private readonly WebApplication _app;

    private AdminHost(WebApplication app, string directory, FakeEnforcementSource? enforcement, FakePortalSource? portal)
    {
        _app = app;
        Directory = directory;
        Enforcement = enforcement;
        Portal = portal;
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        BaseUrl = address.TrimEnd('/');
    }

    public string BaseUrl { get; }
    /// <summary>Exceptions that escaped a request; a test that sees a 500 can say why.</summary>
    public System.Collections.Concurrent.ConcurrentQueue<Exception> ServerErrors { get; private init; } = new();
    public string Directory { get; }
    public string ReportsDirectory => Path.Combine(Directory, "reports");
    public FakeEnforcementSource? Enforcement { get; }
    public FakePortalSource? Portal { get; }

    public string Url(string path) => BaseUrl + "/admin" + path;

    /// <param name="enforcer">Builds a real enforcer from (directory, store path) instead of the fake.</param>
    /// <param name="time">The clock the pages read (TTL "in 12 h"); the system clock when null.</param>
    public static async Task<AdminHost> StartAsync(
        bool notConfigured = false, int pageSize = 50, Action<Dictionary<string, string?>>? configure = null,
        Func<string, string, IEnforcementAdminSource>? enforcer = null, ILoggerProvider? logs = null, TimeProvider? time = null)
    {
        var directory = System.IO.Directory.CreateTempSubdirectory("shadowmcp-admin-").FullName;
        var db = Path.Combine(directory, "store.db");
        SeededFindings.Seed(db);
        var settings = new Dictionary<string, string?>
        {
            ["Admin:DbPath"] = db,
            ["Admin:AdminToken"] = Token,
            ["Admin:ReportsDirectory"] = Path.Combine(directory, "reports"),
            ["Admin:PageSize"] = pageSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        configure?.Invoke(settings);

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.ClearProviders();
        if (Environment.GetEnvironmentVariable("SHADOWMCP_ADMIN_TEST_LOG") == "1") builder.Logging.AddConsole();
        if (logs is not null) builder.Logging.AddProvider(logs);
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        FakeEnforcementSource? enforcement = null;
        FakePortalSource? portal = null;
        if (!notConfigured)
        {
            portal = new FakePortalSource();
            if (enforcer is not null)
            {
                builder.Services.AddSingleton(enforcer(directory, db));
            }
            else
            {
                enforcement = new FakeEnforcementSource(SeededFindings.EverythingKey, SeededFindings.XssKey);
                builder.Services.AddSingleton<IEnforcementAdminSource>(enforcement);
            }
            builder.Services.AddSingleton<IPortalAdminSource>(portal);
        }
        if (time is not null) builder.Services.AddSingleton(time);
        builder.Services.AddShadowMcpAdmin(builder.Configuration);
        var app = builder.Build();
        var errors = new System.Collections.Concurrent.ConcurrentQueue<Exception>();
        app.Use(async (ctx, next) =>
        {
            try
            {
                await next(ctx);
            }
            catch (Exception ex)
            {
                errors.Enqueue(ex);
                throw;
            }
        });
        app.MapShadowMcpAdmin("/admin");
        await app.StartAsync().ConfigureAwait(false);
        return new AdminHost(app, directory, enforcement, portal) { ServerErrors = errors };
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        SqliteConnection.ClearAllPools();
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
