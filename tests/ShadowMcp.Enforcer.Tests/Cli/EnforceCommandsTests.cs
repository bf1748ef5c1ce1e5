using ShadowMcp.Tests;
using System.CommandLine;
using System.Text.Json;
using ShadowMcp.Core.Observations;
using ShadowMcp.Core.Store;
using ShadowMcp.Enforcer.Cli;
using ShadowMcp.Enforcer.Tests.Support;
using ShadowMcp.Core;

namespace ShadowMcp.Enforcer.Tests.Cli;

/// <summary>The `enforce` command tree end to end: findings from a real store file, a policy file, a hosts backend.</summary>
[Category("Integration")]
[TestFixture(StoreKind.Sqlite)]
[TestFixture(StoreKind.Postgres, Category = ExternalTools.IntegrationCategory)]
public sealed class EnforceCommandsTests(StoreKind kind)
{
    private Harness _h = null!;
    private string _policy = "";

    [SetUp]
    public void SetUp()
    {
        _h = new Harness("backends: []", kind);
        using (var store = FindingStore.Open(_h.Target))
        {
            store.SaveFileResult("cap.pcap", "sha", 1, new ScanStats(), null,
                [TestFindings.Shadow("203.0.113.5", 3000, "rogue.example")], TestFindings.Seen);
        }
        _policy = _h.PathIn("policy.yaml");
        File.WriteAllText(_policy, $"""
            portal:
              url: https://portal.corp.example/
            backends:
              - type: hosts
                path: {_h.PathIn("hosts")}
            """);
    }

    [TearDown]
    public void TearDown() => _h.Dispose();

    private async Task<(int Code, string Out, string Err)> Run(params string[] args)
    {
        var root = new RootCommand { EnforceCommands.Create(_h.Time) };
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await root.Parse(["enforce", .. args]).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        return (code, output.ToString(), error.ToString());
    }

    /// <summary>
    /// Finding keys carry the wire's path, which may hold an ESC (an ANSI or OSC sequence), a carriage return or a
    /// bidi override: `enforce plan` prints them to a terminal as escapes, never as themselves.
    /// </summary>
    [Test]
    public async Task Plan_TextOutput_ShowsControlCharactersFromTheWireAsEscapes()
    {
        using (var store = FindingStore.Open(_h.Target))
        {
            store.SaveFileResult("hostile.pcap", "sha2", 1, new ScanStats(), null,
                [TestFindings.Shadow("203.0.113.6", 3000, null, path: "/mcp\u001b]8;;https://attacker.test/\u0007x\r\u202Ey")], TestFindings.Seen);
        }

        var (code, text, err) = await Run("plan", "--policy", _policy, "--db", _h.Target);

        Assert.That(code, Is.Zero, err);
        Assert.That(text, Does.Contain("addr:203.0.113.6:3000"));
        Assert.Multiple(() =>
        {
            foreach (var c in new[] { '\u001b', '\u0007', '\u202E', '\r' })
                Assert.That(text, Does.Not.Contain(c.ToString()), $"U+{(int)c:X4} reaches the terminal");
            Assert.That(text, Does.Contain("/mcp\\u001B]8;;https://attacker.test/\\u0007x"), "shown, not run");
        });
    }

    [Test]
    public async Task PlanApplyRollback_ThroughTheCli_ChangesHostsFileAndBack()
    {
        var (code, json, _) = await Run("plan", "--policy", _policy, "--db", _h.Target, "--format", "json");
        Assert.That(code, Is.Zero);
        using (var doc = JsonDocument.Parse(json))
        {
            var hosts = doc.RootElement.GetProperty("backends")[0];
            Assert.That(hosts.GetProperty("name").GetString(), Is.EqualTo("hosts"));
            Assert.That(hosts.GetProperty("added")[0].GetProperty("target").GetString(), Is.EqualTo("rogue.example"));
            Assert.That(doc.RootElement.GetProperty("changes").GetBoolean(), Is.True);
        }

        var apply = await Run("apply", "--policy", _policy, "--db", _h.Target);
        Assert.That(apply.Code, Is.Zero, apply.Err);
        Assert.That(apply.Out, Does.Contain("hosts: ok +1 -0"));
        Assert.That(File.ReadAllText(_h.PathIn("hosts")), Does.Contain("0.0.0.0 rogue.example"));

        var twice = await Run("apply", "--policy", _policy, "--db", _h.Target);
        Assert.That(twice.Out, Does.Contain("hosts: no change"));

        var text = await Run("plan", "--policy", _policy, "--db", _h.Target);
        Assert.That(text.Out, Does.Contain("hosts: no change (1 held)"));

        var back = await Run("rollback", "--policy", _policy, "--db", _h.Target);
        Assert.That(back.Code, Is.Zero, back.Err);
        Assert.That(File.ReadAllText(_h.PathIn("hosts")), Does.Not.Contain("rogue.example"));
    }

    [Test]
    public async Task Plan_FalsePositiveInTriage_IsNotPlanned()
    {
        using (var db = ShadowMcpDbContext.Open(_h.Target))
            TriageLedger.Apply(db, ["203.0.113.5:3000/mcp"], new ShadowMcp.Core.Triage.TriageChange(ShadowMcp.Core.Triage.TriageStatus.FalsePositive),
                "admin-ui", TestFindings.Seen);
        var (code, json, err) = await Run("plan", "--policy", _policy, "--db", _h.Target, "--format", "json");
        Assert.That(code, Is.Zero, err);
        using var doc = JsonDocument.Parse(json);
        Assert.That(doc.RootElement.GetProperty("backends")[0].GetProperty("added").GetArrayLength(), Is.Zero);
        Assert.That(doc.RootElement.GetProperty("changes").GetBoolean(), Is.False);
    }

    [Test]
    public async Task Apply_SanctionedFile_RejectsWithExitCode2AndNamesEndpoint()
    {
        var allow = _h.PathIn("allow.yaml");
        File.WriteAllText(allow, "- address: 203.0.113.5\n  reason: partner MCP gateway\n");

        var (code, _, err) = await Run("apply", "--policy", _policy, "--db", _h.Target, "--sanctioned", allow);

        Assert.That(code, Is.EqualTo((int)ExitCode.Rejected));
        Assert.That(err, Does.Contain("203.0.113.5").And.Contain("partner MCP gateway"));
        Assert.That(File.Exists(_h.PathIn("hosts")), Is.False);
    }

    [Test]
    public async Task Plan_BadPolicy_PrintsFileLineAndExits2()
    {
        File.WriteAllText(_policy, "backends:\n  - type: hosts\n    pth: /tmp/x\n");

        var (code, _, err) = await Run("plan", "--policy", _policy, "--db", _h.Target);

        Assert.That(code, Is.EqualTo((int)ExitCode.Rejected));
        Assert.That(err, Does.Contain($"{_policy}:3:5: unknown key 'pth'"));
    }

    [Test]
    public async Task Expire_WhenSomethingExpires_ReportsItWithoutThrowing()
    {
        File.AppendAllText(_policy, "\nttl: 1h\n");
        Assert.That((await Run("apply", "--policy", _policy, "--db", _h.Target)).Code, Is.Zero);
        _h.Time.Now += TimeSpan.FromHours(2);

        var (code, output, error) = await Run("expire", "--policy", _policy, "--db", _h.Target);

        Assert.That(code, Is.Zero, error);
        Assert.That(output, Does.Contain("ttl: ok expired [").And.Contain("\"host:rogue.example\"").And.Contain("hosts: ok +0 -1"));
        Assert.That(File.ReadAllText(_h.PathIn("hosts")), Does.Not.Contain("rogue.example"));
    }

    [Test]
    public async Task Plan_NftablesInANamespaceThatDoesNotExist_FailsLoudly()
    {
        ExternalTools.Require("apt-get install iproute2", "ip");
        File.WriteAllText(_policy, """
            backends:
              - type: nftables
                command: [ip, netns, exec, smcp-no-such-namespace, nft]
            """);

        var (code, output, _) = await Run("plan", "--policy", _policy, "--db", _h.Target);

        Assert.That(code, Is.EqualTo((int)ExitCode.BackendFailed), output);
        Assert.That(output, Does.Contain("nftables: ERROR").And.Not.Contain("+1 -0"));
    }
}
