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
