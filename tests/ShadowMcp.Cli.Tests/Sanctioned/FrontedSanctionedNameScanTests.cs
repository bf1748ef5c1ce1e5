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

    // Two workers split the capture's flows by 5-tuple: the DNS answer and the MCP session are in different flows.
    [TestCase(1)]
    [TestCase(2)]
    public void Scan_DnsAnswerFromAResolverOffTheTrustedList_NotSanctionedAndCounted(int threads)
    {
        // The capture's resolver is not the company's: its answer could put the sanctioned name anywhere.
        var (f, stats) = ScanWithStats(dnsAnswer: Server, """{ "host": "mcp.corp.example", "reason": "the portal" }""",
            """ "trustedResolvers": ["192.0.2.53", "198.51.100.0/24"], """, threads);

        Assert.Multiple(() =>
        {
            Assert.That(f.GetProperty("verdict").GetString(), Is.EqualTo("suspected"));
            Assert.That(f.GetProperty("hosts").EnumerateArray().Select(h => h.GetString()), Does.Not.Contain(SanctionedName));
            Assert.That(stats.GetProperty("untrustedResolverAnswers").GetInt64(), Is.EqualTo(1));
        });
    }

    [Test]
    public void Scan_TableWithAnAnswerFromAResolverOffTheTrustedList_SaysItWasIgnored()
    {
        var pcap = Path.Combine(_dir, "fronted.pcap");
        FrontedSessionCapture.Write(pcap, Server, SanctionedName, Server);
        var config = Path.Combine(_dir, "shadowmcp.json");
        File.WriteAllText(config, """{ "trustedResolvers": ["192.0.2.53"], "sanctioned": [ { "host": "mcp.corp.example", "reason": "the portal" } ] }""");

        var r = CliProcess.Run("scan", pcap, "--config", config, "--no-store");

        Assert.That(r.ExitCode, Is.Zero, r.Stderr);
        Assert.That(r.Stdout, Does.Contain("DNS: 1 answer for a sanctioned name from a resolver off trustedResolvers ignored."),
            "the default output says an answer was there, beside a reason that says none was taken");
    }

    [TestCase(1)]
    [TestCase(2)]
    public void Scan_DnsAnswerFromATrustedResolver_Sanctioned(int threads)
    {
        var (f, stats) = ScanWithStats(dnsAnswer: Server, """{ "host": "mcp.corp.example", "reason": "the portal" }""",
            $$""" "trustedResolvers": ["{{FrontedSessionCapture.Resolver}}"], """, threads);

        Assert.That(f.GetProperty("verdict").GetString(), Is.EqualTo("sanctioned"));
        Assert.That(stats.GetProperty("untrustedResolverAnswers").GetInt64(), Is.Zero);
    }

    [Test]
    public void Scan_TrustedResolverThatIsNotAnAddress_ExitsWithTheFieldNamed()
    {
        var config = Path.Combine(_dir, "shadowmcp.json");
        File.WriteAllText(config, """{ "trustedResolvers": ["10.0.0.1", "dns.corp.example"] }""");

        var r = CliProcess.Run("scan", RepoPaths.Sample, "--config", config, "--no-store", "--format", "json");

        Assert.That(r.ExitCode, Is.EqualTo(64), "a broken settings file is a usage error (EX_USAGE), as for sanctioned entries");
        Assert.That(r.Stderr, Does.Contain("shadowmcp.json: trustedResolvers[1]: 'dns.corp.example' is not an IP address or CIDR network"));
    }

    // A host that can send packets in the resolver's name answers the client's query for the sanctioned name itself.
    [TestCase(1)]
    [TestCase(2)]
    public void Scan_ForgedSecondAnswerToTheQuery_NeitherVouches_NotSanctionedAndCounted(int threads)
    {
        var (f, stats) = ScanWithStats(dnsAnswer: "10.20.0.10", """{ "host": "mcp.corp.example", "reason": "the portal" }""", "", threads,
            forged: (FrontedSessionCapture.QueryId, Server));

        Assert.Multiple(() =>
        {
            Assert.That(f.GetProperty("verdict").GetString(), Is.EqualTo("suspected"), "two answers to one query: the name's address is unknown");
            Assert.That(f.GetProperty("hosts").EnumerateArray().Select(h => h.GetString()), Does.Not.Contain(SanctionedName));
            Assert.That(stats.GetProperty("untrustedResolverAnswers").GetInt64(), Is.EqualTo(1));
        });
    }

    [Test]
    public void Scan_ForgedAnswerNobodyAskedFor_IgnoredAndCounted()
    {
        var (f, stats) = ScanWithStats(dnsAnswer: "10.20.0.10", """{ "host": "mcp.corp.example", "reason": "the portal" }""", "",
            forged: (0x9999, Server));

        Assert.That(f.GetProperty("verdict").GetString(), Is.EqualTo("shadow"), "the only answer taken puts the name elsewhere");
        Assert.That(stats.GetProperty("untrustedResolverAnswers").GetInt64(), Is.EqualTo(1));
    }

    // The same unasked answer sent to another host: the capture shows the client's queries, not that host's, and what
    // an answer vouches holds for every client.
    [TestCase(1)]
    [TestCase(2)]
    public void Scan_ForgedAnswerToAHostWhoseQueriesAreNotSeen_IgnoredAndCounted(int threads)
    {
        var (f, stats) = ScanWithStats(dnsAnswer: "10.20.0.10", """{ "host": "mcp.corp.example", "reason": "the portal" }""", "", threads,
            forged: (0x9999, Server), forgedTo: "10.0.0.99");

        Assert.That(f.GetProperty("verdict").GetString(), Is.EqualTo("shadow"), "the only answer taken puts the name elsewhere");
        Assert.That(stats.GetProperty("untrustedResolverAnswers").GetInt64(), Is.EqualTo(1));
    }

    private JsonElement ScanOne(string? dnsAnswer, string entry) => ScanWithStats(dnsAnswer, entry, "").Finding;

    // The finding for the MCP server's address (a DNS lookup of an "mcp." name may make one of its own, by name).
    private (JsonElement Finding, JsonElement Stats) ScanWithStats(string? dnsAnswer, string entry, string settings, int threads = 1,
        (ushort Id, string Address)? forged = null, string? forgedTo = null)
    {
        var pcap = Path.Combine(_dir, "fronted.pcap");
        FrontedSessionCapture.Write(pcap, Server, SanctionedName, dnsAnswer, forged, forgedTo);
        var config = Path.Combine(_dir, "shadowmcp.json");
        File.WriteAllText(config, $$"""{ {{settings}} "sanctioned": [ {{entry}} ] }""");

        var r = CliProcess.Run("scan", pcap, "--config", config, "--no-store", "--format", "json", "--threads", $"{threads}");

        Assert.That(r.ExitCode, Is.Zero, r.Stderr);
        var root = JsonDocument.Parse(r.Stdout).RootElement;
        var finding = root.GetProperty("findings").EnumerateArray()
            .Single(f => f.GetProperty("endpoint").GetProperty("address").ValueKind == JsonValueKind.String
                         && f.GetProperty("endpoint").GetProperty("address").GetString() == Server);
        return (finding.Clone(), root.GetProperty("stats").Clone());
    }
}
