using ShadowMcp.Core.Findings;

namespace ShadowMcp.Core.Tests.Findings;

/// <summary>
/// A sanctioned entry matches by address, port, path prefix and the names an endpoint's flows used; the aggregator's
/// allocation-free overload (by parts and a list of names) must decide exactly as the endpoint one does.
/// </summary>
public sealed class SanctionedEndpointTests
{
    private static readonly SanctionedEndpoint[] Entries =
    [
        new("tools.corp.example", null, null, null, "host"),
        new("*.corp.example", null, null, null, "wildcard"),
        new(null, "10.0.0.5", 8123, "/api/", "address, port and prefix"),
        new("tools.corp.example", null, 443, "/mcp", "host, port and prefix"),
        new(null, null, null, null, "nothing named"),
    ];

    private static readonly (string? Address, int? Port, string? Path, string[] Names)[] Endpoints =
    [
        ("10.0.0.5", 8123, "/api/x", []),
        ("10.0.0.5", 8123, "/other", ["tools.corp.example"]),
        ("10.0.0.5", 443, "/mcp/x", ["TOOLS.corp.example"]),
        ("10.0.0.9", 443, "/mcp", ["a.corp.example", "rogue.example"]),
        ("10.0.0.9", 443, null, ["rogue.example"]),
        ("10.0.0.5", null, "/api/", []),
    ];

    [Test]
    public void Matches_ByPartsAndNameList_AgreesWithMatchesByEndpoint()
    {
        foreach (var entry in Entries)
            foreach (var (address, port, path, names) in Endpoints)
                Assert.That(entry.Matches(address, port, path, names), Is.EqualTo(entry.Matches(new Endpoint(address, port, null, path), names)),
                    $"{entry.Reason} on {address}:{port}{path} [{string.Join(", ", names)}]");
    }

    [TestCase("10.0.0.5", 8123, "/api/tool", ExpectedResult = true)]
    [TestCase("10.0.0.5", 8123, "/*", ExpectedResult = false)]
    [TestCase("10.0.0.5", 8124, "/api/tool", ExpectedResult = false)]
    public bool Matches_AddressPortAndPrefix_NeedsAllThree(string address, int port, string path) =>
        Entries[2].Matches(address, port, path, []);

    [TestCase("mcp.corp.example", "MCP.corp.example", ExpectedResult = true)]
    [TestCase("*.corp.example", "tools.corp.example", ExpectedResult = true)]
    [TestCase("*.corp.example", "corp.example.rogue", ExpectedResult = false)]
    [TestCase(null, "mcp.corp.example", ExpectedResult = false)]
    public bool MatchesName_HostPatternOnly(string? host, string name) => new SanctionedEndpoint(host, null, 443, "/mcp", "x").MatchesName(name);

    [Test]
    public void VouchesForAddress_OnlyWhenTheEntryGivesAnAddress()
    {
        // The classifier trusts a Host header or SNI for an entry only when the entry itself names the address.
        Assert.That(new SanctionedEndpoint("mcp.corp.example", "10.0.0.5", null, null, "x").VouchesForAddress, Is.True);
        Assert.That(new SanctionedEndpoint("mcp.corp.example", null, 443, "/mcp", "x").VouchesForAddress, Is.False);
    }
}

/// <summary>
/// A sanctioned name written in Unicode in a config (an internationalised domain name) is the name DNS, TLS and HTTP
/// carry in its ASCII (punycode) form: both forms are one name, so the entry matches either.
/// </summary>
public sealed class InternationalisedSanctionedNameTests
{
    [TestCase("bücher.corp.example", "xn--bcher-kva.corp.example")]
    [TestCase("Bücher.Corp.Example", "xn--bcher-kva.corp.example")]
    [TestCase("xn--bcher-kva.corp.example", "bücher.corp.example")]
    [TestCase("*.bücher.example", "mcp.xn--bcher-kva.example")]
    [TestCase("*.xn--bcher-kva.example", "mcp.bücher.example")]
    public void UnicodeAndPunycodeForms_AreOneName(string entry, string wire)
    {
        var sanctioned = new SanctionedEndpoint(entry, null, null, null, "idn");

        Assert.That(sanctioned.MatchesName(wire), Is.True);
        Assert.That(sanctioned.Matches(null, null, "/mcp", [wire]), Is.True);
    }

    [TestCase("bücher.corp.example", "bucher.corp.example")]
    [TestCase("bücher.corp.example", "xn--bcher-kva.corp.example.evil")]
    [TestCase("*.bücher.example", "xn--bcher-kva.example.evil")]
    public void OtherNames_DoNotMatch(string entry, string wire) =>
        Assert.That(new SanctionedEndpoint(entry, null, null, null, "idn").MatchesName(wire), Is.False);

    [Test]
    public void NameIdnaRefuses_MatchesOnlyItself()
    {
        var sanctioned = new SanctionedEndpoint("a\u00ad\u0000.example", null, null, null, "odd");

        Assert.That(sanctioned.MatchesName("a\u00ad\u0000.example"), Is.True);
        Assert.That(sanctioned.MatchesName("a.example"), Is.False);
    }
}
