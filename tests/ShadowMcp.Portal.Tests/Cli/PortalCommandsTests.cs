using System.CommandLine;
using Microsoft.EntityFrameworkCore;
using ShadowMcp.Portal.Audit;
using ShadowMcp.Portal.Cli;
using ShadowMcp.Portal.Store;
using ShadowMcp.Portal.Tests.Fixtures;
using ShadowMcp.Core;

namespace ShadowMcp.Portal.Tests.Cli;

public sealed class PortalCommandsTests
{
    private string _db = null!;

    [SetUp]
    public void SetUp()
    {
        _db = Path.Combine(TempDir.Create(), "cli.db");
        _config = Path.Combine(Path.GetDirectoryName(_db)!, "portal.json");
        File.WriteAllText(_config, """{ "groups": { "dev": { "servers": {} } } }""");
    }

    private string _config = null!;

    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var root = new RootCommand("test");
        foreach (var c in PortalCommands.Create(stdout, stderr)) root.Add(c);
        var code = root.Parse(args).Invoke(new InvocationConfiguration { Output = stdout, Error = stderr });
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Test]
    public void TokenCreate_PrintsTokenOnceAndStoresOnlyItsHash()
    {
        var (code, output, _) = Run("portal", "token", "create", "--group", "dev", "--config", _config, "--db", _db);
        Assert.That(code, Is.Zero);
        var token = output.Split('\n').Single(l => l.StartsWith("token: ", StringComparison.Ordinal))[7..].Trim();
        Assert.That(token, Does.StartWith("smcp_"));
        var store = new PortalStore(_db);
        using var db = store.Open();
        var row = db.ApiTokens.Single();
        Assert.That(row.SecretHash, Is.Not.EqualTo(token).And.Length.EqualTo(64));
        var files = new[] { _db, _db + "-wal" }.Where(File.Exists).Select(f => File.ReadAllText(f, System.Text.Encoding.Latin1));
        Assert.That(string.Concat(files), Does.Not.Contain(token[10..]));
        Assert.That(new ShadowMcp.Portal.Auth.ApiTokens(store, TimeProvider.System).Check(token).Token?.Group, Is.EqualTo("dev"));
    }

    [Test]
    public void TokenRevoke_UnknownId_IsNotFound()
    {
        var (code, _, err) = Run("portal", "token", "revoke", "nope", "--db", _db);
        Assert.That(code, Is.EqualTo((int)ExitCode.NotFound));
        Assert.That(err, Does.Contain("nope"));
    }

    [Test]
    public void TokenRevoke_KnownId_MakesTokenUnusable()
    {
        var (_, output, _) = Run("portal", "token", "create", "--group", "dev", "--config", _config, "--db", _db);
        var id = output.Split('\n').Single(l => l.StartsWith("id: ", StringComparison.Ordinal))[4..].Trim();
        var token = output.Split('\n').Single(l => l.StartsWith("token: ", StringComparison.Ordinal))[7..].Trim();
        Assert.That(Run("portal", "token", "revoke", id, "--db", _db).Code, Is.Zero);
        Assert.That(new ShadowMcp.Portal.Auth.ApiTokens(new PortalStore(_db), TimeProvider.System).Check(token).Failure, Does.Contain("revoked"));
        Assert.That(Run("portal", "token", "list", "--db", _db).Out, Does.Contain($"{id}\tdev\trevoked"));
    }

    [Test]
    public async Task AuditVerify_TamperedRow_ExitsNonZeroNamingRow()
    {
        var store = new PortalStore(_db);
        var log = new AuditLog(store, TimeProvider.System);
        for (var i = 0; i < 3; i++)
            await log.AppendAsync(new AuditRecord("u", "g", null, null, "s", "tools/call", "t", 1, "h", null, 1, "ok", "d", null));
        Assert.That(Run("audit", "verify", "--db", _db).Code, Is.Zero);
        using (var db = store.Open()) db.Database.ExecuteSqlRaw("UPDATE portal_audit SET User = 'x' WHERE Seq = 2");
        var (code, output, _) = Run("audit", "verify", "--db", _db);
        Assert.That(code, Is.EqualTo((int)ExitCode.TamperDetected));
        Assert.That(output, Does.Contain("row 2: changed"));
    }

    [Test]
    public async Task AuditExport_Jsonl_WritesRows()
    {
        var log = new AuditLog(new PortalStore(_db), TimeProvider.System);
        await log.AppendAsync(new AuditRecord("u", "g", null, null, "s", "tools/call", "t", 1, "h", null, 1, "ok", "d", null));
        var (code, output, _) = Run("audit", "export", "--format", "jsonl", "--db", _db);
        Assert.That(code, Is.Zero);
        Assert.That(output.Trim().Split('\n'), Has.Length.EqualTo(1));
        Assert.That(output, Does.Contain("\"method\":\"tools/call\""));
    }

    [Test]
    public void Portal_MissingConfigFile_IsUsageError()
    {
        var (code, _, err) = Run("portal", "--config", "/nonexistent/portal.json", "--db", _db);
        Assert.That(code, Is.EqualTo((int)ExitCode.Usage));
        Assert.That(err, Does.Contain("cannot read config"));
    }

    [Test]
    public async Task Portal_WithConfig_ServesHealthAndMetadataUntilCancelled()
    {
        var configPath = Path.Combine(Path.GetDirectoryName(_db)!, "portal.json");
        File.WriteAllText(configPath, """
            { "upstreams": [ { "id": "down", "url": "http://127.0.0.1:9/mcp", "timeoutSeconds": 2 } ],
              "groups": { "dev": { "servers": { "down": ["*"] } } } }
            """);
        var stdout = new StringWriter();
        var stderr = new SyncWriter();
        var root = new RootCommand("test");
        foreach (var c in PortalCommands.Create(stdout, stderr)) root.Add(c);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var run = root.Parse(["portal", "--config", configPath, "--urls", "http://127.0.0.1:0", "--db", _db])
            .InvokeAsync(new InvocationConfiguration { Output = stdout, Error = stderr }, cts.Token);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!stderr.Text.Contains("listening on") && DateTime.UtcNow < deadline && !run.IsCompleted) await Task.Delay(50);
        var url = stderr.Text.Split("listening on ")[1].Split([',', '\n'])[0].Trim();
        using var http = new HttpClient();
        var health = await http.GetStringAsync(url + "/health");
        var unauthorized = await http.PostAsync(url + "/mcp", new StringContent("{}", System.Text.Encoding.UTF8, "application/json"));
        await cts.CancelAsync();
        Assert.That(await run, Is.Zero);
        Assert.That(health, Does.Contain("\"status\":\"degraded\"").And.Not.Contain("down"), "no upstream ids without credentials");
        Assert.That((int)unauthorized.StatusCode, Is.EqualTo(401));
    }

    /// <summary>stderr written from the portal's thread and read by the test.</summary>
    private sealed class SyncWriter : StringWriter
    {
        private readonly object _lock = new();
        public string Text { get { lock (_lock) return ToString(); } }
        public override void Write(char value) { lock (_lock) base.Write(value); }
        public override void Write(string? value) { lock (_lock) base.Write(value); }
        public override void WriteLine(string? value) { lock (_lock) base.WriteLine(value); }
    }

    [Test]
    public void Approve_ServerNeverSeen_IsNotFound()
    {
        Assert.That(Run("portal", "approve", "ghost", "--db", _db).Code, Is.EqualTo((int)ExitCode.NotFound));
    }
}
