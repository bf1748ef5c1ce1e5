using System.CommandLine;
using System.Net;
using ModelContextProtocol.Protocol;
using Npgsql;
using ShadowMcp.Core;
using ShadowMcp.Portal.Audit;
using ShadowMcp.Portal.Cli;
using ShadowMcp.Portal.Config;
using ShadowMcp.Portal.Store;
using ShadowMcp.Portal.Tests.Fixtures;
using ShadowMcp.Tests;

namespace ShadowMcp.Portal.Tests.Replicas;

/// <summary>
/// Two portal replicas on one real PostgreSQL database behind a round-robin load balancer without affinity, the way
/// docs/portal.md runs them: the real C# SDK client, the real `audit verify` command.
/// </summary>
[Category(ExternalTools.IntegrationCategory)]
public sealed class PortalReplicaTests
{
    private UpstreamServer _upstream = null!;
    private string _dir = null!;
    private string _db = null!;
    private string _configFile = null!;

    [SetUp]
    public async Task SetUp()
    {
        _upstream = await UpstreamServer.StartAsync();
        _dir = TempDir.Create();
        _db = LocalPostgres.CreateDatabase(TestContext.CurrentContext.Test.MethodName ?? "replicas");
        // Both replicas read the same audit keys (one HMAC key for the one chain), as the docs tell operators to.
        _configFile = Path.Combine(_dir, "portal.json");
        File.WriteAllText(_configFile, $$"""
            { "portal": { "refreshSeconds": 3600, "audit": { "keyFile": "{{_dir}}/audit.key", "signingKeyFile": "{{_dir}}/checkpoint.key" } },
              "upstreams": [ { "id": "alpha", "url": "{{_upstream.McpUrl}}", "timeoutSeconds": 10 } ],
              "groups": { "dev": { "servers": { "alpha": ["*"] } } } }
            """);
    }

    [TearDown]
    public async Task TearDown() => await _upstream.DisposeAsync();

    [Test]
    public async Task TwoReplicas_StatelessClientAlternating_SharesTokensAndOneVerifiableAuditLog()
    {
        await using var a = await StartReplicaAsync("a");
        await using var b = await StartReplicaAsync("b");
        var token = a.CreateToken("dev"); // issued by replica A only
        await using var balancer = await LoopbackForwarder.StartAsync([a.BaseUrl, b.BaseUrl]);

        // 2026-07-28 is stateless: every request stands alone, so round robin needs no affinity.
        var client = await a.ConnectAsync(token, "2026-07-28", balancer.BaseUrl + "/mcp");
        for (var i = 0; i < 6; i++)
        {
            var result = await client.CallToolAsync("alpha_echo", new Dictionary<string, object?> { ["text"] = $"call {i}" });
            Assert.That(((TextContentBlock)result.Content[0]).Text, Is.EqualTo($"echo: call {i}"));
        }
        Assert.That(Math.Min(balancer.Forwarded(0), balancer.Forwarded(1)), Is.GreaterThanOrEqualTo(3), "each replica took calls");
        await a.FlushAuditAsync();
        await b.FlushAuditAsync();

        using (var db = a.Store.Open())
        {
            var calls = db.Audit.Where(r => r.Method == "tools/call" && r.Outcome == "ok").Select(r => r.Replica).ToList();
            Assert.That(calls, Has.Count.EqualTo(6));
            Assert.That(calls.Distinct().Order(), Is.EqualTo(new[] { "a", "b" }), "both replicas wrote rows");
        }
        var (code, output) = Verify();
        Assert.That(code, Is.Zero, output);
        Assert.That(output, Does.Contain("audit chain intact"));
        Assert.That(output, Does.Match(@"written by replicas a \(\d+\), b \(\d+\)"));

        string replica;
        using (var db = a.Store.Open()) replica = db.Audit.Single(r => r.Seq == 3).Replica!;
        await TamperAsync("UPDATE portal_audit SET \"Outcome\" = 'denied' WHERE \"Seq\" = 3");
        (code, output) = Verify();
        Assert.That(code, Is.EqualTo((int)ExitCode.TamperDetected));
        Assert.That(output, Does.Contain($"row 3: changed: fields do not match the row's hash (written by replica {replica})"));
    }

    [Test]
    public async Task ConcurrentWrites_FromTwoReplicas_KeepOneIntactChain()
    {
        // Two stores and two audit logs, each with its own connection, as two replica processes have.
        var key = new byte[32];
        var logs = new[] { "a", "b" }.Select(id => new AuditLog(new PortalStore(_db), TimeProvider.System, key, id)).ToArray();
        // Each append awaits its commit, so both writers run many small transactions that interleave.
        await Task.WhenAll(logs.Select((log, n) => Task.Run(async () =>
        {
            for (var i = 0; i < 150; i++)
                await log.AppendAsync(new AuditRecord($"user{n}", "dev", null, null, "alpha", "tools/call", "alpha_echo", i, null, null, 1, "ok", "d", null));
        })));
        foreach (var log in logs) await log.DisposeAsync();

        var store = new PortalStore(_db);
        using (var db = store.Open())
        {
            Assert.That(db.Audit.OrderBy(r => r.Seq).Select(r => r.Seq), Is.EqualTo(Enumerable.Range(1, 300).Select(i => (long)i)));
            var byReplica = db.Audit.GroupBy(r => r.Replica).Select(g => new { g.Key, Rows = g.Count() }).ToDictionary(g => g.Key!, g => g.Rows);
            Assert.That(byReplica, Is.EqualTo(new Dictionary<string, int> { ["a"] = 150, ["b"] = 150 }));
        }
        var keys = AuditKeysWith(key);
        Assert.That(AuditVerifier.Verify(store, keys, null), Is.Empty);
    }

    [Test]
    public async Task Verify_WhileTwoReplicasKeepWriting_FindsTheChainIntact()
    {
        // Operators verify a live deployment: the replicas append between verify's reads of the rows and the head.
        var key = new byte[32];
        var logs = new[] { "a", "b" }.Select(id => new AuditLog(new PortalStore(_db), TimeProvider.System, key, id)).ToArray();
        using var stop = new CancellationTokenSource();
        var writers = logs.Select((log, n) => Task.Run(async () =>
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
                await log.AppendAsync(new AuditRecord($"user{n}", "dev", null, null, "alpha", "tools/call", "alpha_echo", i, null, null, 1, "ok", "d", null));
        })).ToArray();
        var store = new PortalStore(_db);
        var keys = AuditKeysWith(key);
        try
        {
            for (var check = 0; check < 20; check++)
                Assert.That(AuditVerifier.Verify(store, keys, null), Is.Empty, $"verify #{check} while the replicas write");
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(writers);
            foreach (var log in logs) await log.DisposeAsync();
        }
        using var db = store.Open();
        Assert.That(db.Audit.Select(r => r.Replica).Distinct().Count(), Is.EqualTo(2), "both replicas wrote during the checks");
    }

    [Test]
    public async Task StatefulSession_MovedToOtherReplica_Gets404AndTheClientStartsANewSession()
    {
        await using var a = await StartReplicaAsync("a");
        await using var b = await StartReplicaAsync("b");
        var token = a.CreateToken("dev");
        await using var balancer = await LoopbackForwarder.StartAsync([a.BaseUrl, b.BaseUrl]);
        balancer.Pin(0);
        var client = await a.ConnectAsync(token, "2025-11-25", balancer.BaseUrl + "/mcp");
        Assert.That(client.SessionId, Is.Not.Null, "2025-11-25 clients get a stateful session");
        await client.CallToolAsync("alpha_echo", new Dictionary<string, object?> { ["text"] = "on a" });

        balancer.Pin(1); // replica A is gone from the pool; B never saw this session
        var error = Assert.ThrowsAsync<HttpRequestException>(() =>
            client.CallToolAsync("alpha_echo", new Dictionary<string, object?> { ["text"] = "on b" }).AsTask());
        Assert.That(error!.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        var (status, body) = await PostWithSessionAsync(b.McpUrl, token, client.SessionId!);
        Assert.That(status, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(body, Does.Contain("Session not found"), "the answer says why");

        var again = await a.ConnectAsync(token, "2025-11-25", balancer.BaseUrl + "/mcp");
        var result = await again.CallToolAsync("alpha_echo", new Dictionary<string, object?> { ["text"] = "on b" });
        Assert.That(((TextContentBlock)result.Content[0]).Text, Is.EqualTo("echo: on b"));
        Assert.That(again.SessionId, Is.Not.EqualTo(client.SessionId));
    }

    private static async Task<(HttpStatusCode Status, string Body)> PostWithSessionAsync(string url, string token, string session)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = new StringContent("""{"jsonrpc":"2.0","id":7,"method":"tools/list"}""", System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        request.Headers.Accept.ParseAdd("application/json, text/event-stream");
        request.Headers.Add("Mcp-Session-Id", session);
        request.Headers.Add("MCP-Protocol-Version", "2025-11-25");
        using var response = await http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private AuditKeys AuditKeysWith(byte[] key)
    {
        var file = Path.Combine(_dir, "test-audit.key");
        File.WriteAllText(file, Convert.ToHexStringLower(key));
        return AuditKeys.ReadOnly(new AuditSettings(), _dir, file);
    }

    private Task<PortalFixture> StartReplicaAsync(string id)
    {
        var config = PortalConfigLoader.Load(_configFile);
        config.Portal.ReplicaId = id;
        return PortalFixture.StartAsync(config, _dir, store: _db);
    }

    private (int Code, string Output) Verify()
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var root = new RootCommand("test");
        foreach (var c in PortalCommands.Create(stdout, stderr)) root.Add(c);
        var code = root.Parse(["audit", "verify", "--db", _db, "--config", _configFile])
            .Invoke(new InvocationConfiguration { Output = stdout, Error = stderr });
        return (code, stdout + stderr.ToString());
    }

    private async Task TamperAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ShadowMcp.Core.Store.StoreTarget.Parse(_db).Location);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, connection);
        Assert.That(await cmd.ExecuteNonQueryAsync(), Is.EqualTo(1));
    }
}
