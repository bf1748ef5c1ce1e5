using System.CommandLine;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using ShadowMcp.Classifier;
using ShadowMcp.Cli.Scanning;
using ShadowMcp.Core.Store;
using ShadowMcp.Enforcer.Cli;

namespace ShadowMcp.Cli.Tests.Injection;

/// <summary>
/// From the packet to the plan: a capture whose client sends a Host that is no DNS name ("x..", which Unbound
/// refuses, and its reload stops the resolver). The scan keeps it as the finding's name; the plan blocks the server
/// by address and port and writes the name into no backend's entries. (An HTTP/1.1 request line with a control
/// character in its target is refused by the parser, so a hostile path reaches planning only over HTTP/2; the
/// planning side of that is in the Enforcer's HostileEntryTests.)
/// </summary>
public sealed class EnforcementInjectionTests
{
    private string _dir = "";
    private string Db => Path.Combine(_dir, "store.db");

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("shadowmcp-inject-enforce-").FullName;

    [TearDown]
    public void TearDown()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    [Test]
    public async Task Plan_HostFromTheWireThatIsNoDnsName_GetsNoEntry()
    {
        var pcap = Path.Combine(_dir, "hostile.pcap");
        HostileSessionCapture.Write(pcap, new HostileSessionCapture.Strings(Host: "x..mcp.rogue.test"));
        using (var store = FindingStore.Open(Db))
            new ScanRunner(McpClassifier.Create(RepoPaths.Rules), store, NullLogger.Instance).Run([pcap]);
        using (var store = FindingStore.Open(Db))
        {
            var f = store.LoadFindings().Single();
            Assert.That(f.Endpoint.Host, Is.EqualTo("x..mcp.rogue.test"), "the wire's Host is the finding's");
            Assert.That(f.Endpoint.Path, Is.EqualTo("/mcp"));
        }
        var policy = Path.Combine(_dir, "enforce.yaml");
        File.WriteAllText(policy, "version: 1\nselect:\n  verdicts: [shadow, suspected]\n"
            + $"backends:\n  - type: unbound\n    path: {Path.Combine(_dir, "unbound.conf")}\n    reload: [\"true\"]\n  - type: squid\n    path: {Path.Combine(_dir, "squid.conf")}\n");

        var root = new RootCommand { EnforceCommands.Create(TimeProvider.System) };
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await root.Parse(["enforce", "plan", "--policy", policy, "--db", Db, "--format", "json"])
            .InvokeAsync(new InvocationConfiguration { Output = output, Error = error });

        Assert.That(code, Is.Zero, error.ToString() + output);
        using var doc = JsonDocument.Parse(output.ToString());
        var keys = doc.RootElement.GetProperty("entries").EnumerateArray()
            .Select(e => e.GetProperty("entry").GetProperty("key").GetString()).ToList();
        Assert.That(keys, Is.EqualTo(new[] { $"addr:{HostileSessionCapture.Server}:{HostileSessionCapture.Port}" }));
    }
}
