using System.Text.Json;

namespace ShadowMcp.Cli.Tests.Sanctioned;

/// <summary>
/// `scan` of a capture where an MCP client sends the sanctioned name as Host header to some address (domain fronting
/// the allow list): with a name-only entry in the settings file, the finding is sanctioned only when a DNS answer in
/// the capture ties the name to that address, or when the entry gives the address.
/// </summary>
[Category("Integration")]
public sealed class FrontedSanctionedNameScanTests
{
    private const string SanctionedName = "mcp.corp.example";
    private const string Server = "10.66.0.9";
    private string _dir = "";

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("shadowmcp-fronted-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    [Test]
    public void Scan_HostHeaderClaimsSanctionedNameNoDnsInCapture_SuspectedWithTheClaimInItsReason()
    {
        var f = ScanOne(dnsAnswer: null, """{ "host": "mcp.corp.example", "reason": "the portal" }""");

        Assert.Multiple(() =>
        {
            Assert.That(f.GetProperty("verdict").GetString(), Is.EqualTo("suspected"));
            Assert.That(f.GetProperty("verdictReason").GetString(),
                Does.Contain($"'{SanctionedName}' ('the portal')").And.Contain($"no DNS answer seen tied it to {Server}"));
            Assert.That(f.GetProperty("hosts").EnumerateArray().Select(h => h.GetString()), Does.Not.Contain(SanctionedName));
        });
    }

    [Test]
    public void Scan_HostHeaderClaimsSanctionedNameDnsPutsItElsewhere_Shadow()
    {
        var f = ScanOne(dnsAnswer: "10.20.0.10", """{ "host": "mcp.corp.example", "reason": "the portal" }""");

        Assert.That(f.GetProperty("verdict").GetString(), Is.EqualTo("shadow"));
    }

    [Test]
    public void Scan_DnsAnswerInCaptureTiesTheNameToTheAddress_Sanctioned()
    {
        var f = ScanOne(dnsAnswer: Server, """{ "host": "mcp.corp.example", "reason": "the portal" }""");

        Assert.That(f.GetProperty("verdict").GetString(), Is.EqualTo("sanctioned"));
        Assert.That(f.GetProperty("hosts").EnumerateArray().Select(h => h.GetString()), Does.Contain(SanctionedName));
    }

    [Test]
    public void Scan_EntryGivesTheAddressNoDnsInCapture_Sanctioned()
    {
        var f = ScanOne(dnsAnswer: null, """{ "host": "mcp.corp.example", "address": "10.66.0.9", "reason": "the portal" }""");

        Assert.That(f.GetProperty("verdict").GetString(), Is.EqualTo("sanctioned"));
    }

    // The finding for the MCP server's address (a DNS lookup of an "mcp." name may make one of its own, by name).
    private JsonElement ScanOne(string? dnsAnswer, string entry)
    {
        var pcap = Path.Combine(_dir, "fronted.pcap");
        FrontedSessionCapture.Write(pcap, Server, SanctionedName, dnsAnswer);
        var config = Path.Combine(_dir, "shadowmcp.json");
        File.WriteAllText(config, $$"""{ "sanctioned": [ {{entry}} ] }""");

        var r = CliProcess.Run("scan", pcap, "--config", config, "--no-store", "--format", "json");

        Assert.That(r.ExitCode, Is.Zero, r.Stderr);
        return JsonDocument.Parse(r.Stdout).RootElement.GetProperty("findings").EnumerateArray()
            .Single(f => f.GetProperty("endpoint").GetProperty("address").ValueKind == JsonValueKind.String
                         && f.GetProperty("endpoint").GetProperty("address").GetString() == Server)
            .Clone();
    }
}
