using Microsoft.Data.Sqlite;
using Npgsql;
using ShadowMcp.Core.Findings;
using ShadowMcp.Core.Inventory;
using ShadowMcp.Core.Reading;
using ShadowMcp.Core.Store;
using ShadowMcp.Core.Tests.Store;

namespace ShadowMcp.Core.Tests.Reading;

/// <summary>
/// Host inventories as the hosts page and the report read them: each host's latest scan in a window (the later stored
/// wins a tie), with its servers and secrets, verdicts typed, on each engine.
/// </summary>
[TestFixtureSource(typeof(StoreKinds), nameof(StoreKinds.Both))]
public sealed class HostScanReaderTests(StoreKind kind)
{
    private static readonly DateTime From = new(2026, 11, 16, 0, 0, 0, DateTimeKind.Utc);
    private static readonly DateTime To = From.AddDays(7);
    private string _dir = "";
    private string _target = "";

    [SetUp]
    public void SetUp()
    {
        _dir = Directory.CreateTempSubdirectory("shadowmcp-hostreader-").FullName;
        _target = StoreKinds.NewTarget(kind, _dir, "hosts.db");
        using var store = FindingStore.Open(_target);
        var db = store.Context;
        Add(db, "alpha", "a-1", From.AddDays(-3), ("shadow", "npm", "@acme/notes"));
        Add(db, "alpha", "a-2", From.AddDays(1), ("shadow", "npm", "@acme/notes"), ("sanctioned", null, null));
        Add(db, "alpha", "a-3", From.AddDays(2), ("sanctioned", null, null), ("judged-later", "pypi", "mcp-x"));
        Add(db, "beta", "b-1", From.AddDays(3), ("shadow", null, null));
        Add(db, "beta", "b-2", From.AddDays(3), ("suspected", null, null)); // same instant, stored later: the latest
        Add(db, "gamma", "g-1", From.AddDays(-1), ("shadow", null, null));
        Add(db, "delta", "d-1", To, ("shadow", null, null)); // the window's end is not in it
    }

    [TearDown]
    public void TearDown()
    {
        SqliteConnection.ClearAllPools();
        NpgsqlConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    private static void Add(ShadowMcpDbContext db, string host, string scanId, DateTime at, params (string Verdict, string? Ecosystem, string? Package)[] servers)
    {
        var scan = new HostScanRow { HostName = host, ScanId = scanId, ScannedAt = at, ReceivedAt = at, Os = "linux", FilesRead = 4, Problems = 1 };
        foreach (var (verdict, ecosystem, package) in servers)
        {
            scan.Servers.Add(new HostServerRow
            {
                Agent = "Cursor", Scope = "user", ConfigPath = "~/.cursor/mcp.json", Name = scanId + "-" + verdict, Transport = "stdio",
                Ecosystem = ecosystem, Package = package, Version = package is null ? null : "1.2.0",
                Url = package is null ? $"https://{scanId}.example/mcp" : null, Enabled = true, Verdict = verdict, Endpoint = scanId + ".example:443/mcp",
                Origin = "config",
            });
        }
        scan.Secrets.Add(new HostSecretRow { Agent = "Cursor", ConfigPath = "~/.cursor/mcp.json", Server = scanId, Location = "env.TOKEN", Kind = "api-key" });
        db.HostScans.Add(scan);
        db.SaveChanges();
    }

    private async Task<IReadOnlyList<HostScan>> Latest(DateTime? from, DateTime? to, IReadOnlySet<string>? hosts = null)
    {
        await using var db = ShadowMcpDbContext.Open(_target);
        return await new HostScanReader(db).LatestPerHostAsync(from, to, hosts, CancellationToken.None);
    }

    [Test]
    public async Task LatestPerHost_InTheWindow_ByHostName_LaterStoredWinsATie()
    {
        var scans = await Latest(From, To);

        Assert.That(scans.Select(s => (s.HostName, s.ScanId)), Is.EqualTo(new[] { ("alpha", "a-3"), ("beta", "b-2") }));
        var alpha = scans[0];
        Assert.That((alpha.Os, alpha.FilesRead, alpha.Problems, alpha.ScannedAt, alpha.ScannedAt.Kind), Is.EqualTo(("linux", 4, 1, From.AddDays(2), DateTimeKind.Utc)));
        Assert.That(alpha.Servers.Select(s => (s.Verdict, s.What)), Is.EqualTo(new[]
        {
            (Verdict.Sanctioned, "https://a-3.example/mcp"),
            // A verdict name this version does not know reads as suspected: worth a look, not a block.
            (Verdict.Suspected, "pypi:mcp-x@1.2.0"),
        }));
        Assert.That(alpha.Secrets, Is.EqualTo(new[] { new HostScanSecret("Cursor", "~/.cursor/mcp.json", "a-3", "env.TOKEN", "api-key") }));
    }

    [Test]
    public async Task LatestPerHost_BeforeTheWindow_ForNamedHostsOnly()
    {
        var before = await Latest(null, From, new HashSet<string>(StringComparer.Ordinal) { "alpha", "beta" });
        var everything = await Latest(null, null);

        Assert.That(before.Select(s => s.ScanId), Is.EqualTo(new[] { "a-1" }), "beta has nothing before; gamma was not asked for");
        Assert.That(before[0].Servers.Single().What, Is.EqualTo("npm:@acme/notes@1.2.0"));
        Assert.That(everything.Select(s => s.ScanId), Is.EqualTo(new[] { "a-3", "b-2", "d-1", "g-1" }));
    }

    [Test]
    public async Task AnyBefore_SaysWhetherAnyHostHadReported()
    {
        await using var db = ShadowMcpDbContext.Open(_target);
        var reader = new HostScanReader(db);

        Assert.That(await reader.AnyBeforeAsync(From.AddDays(-3), CancellationToken.None), Is.False);
        Assert.That(await reader.AnyBeforeAsync(From.AddDays(-3).AddSeconds(1), CancellationToken.None), Is.True);
    }
}
