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

        await TamperAsync("UPDATE portal_audit SET \"Outcome\" = 'denied' WHERE \"Seq\" = 3");
        (code, output) = Verify();
        Assert.That(code, Is.EqualTo((int)ExitCode.TamperDetected));
        Assert.That(output, Does.Contain("row 3: changed"));
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
