using ShadowMcp.Cli.Shape;
using ShadowMcp.Core.Observations;

namespace ShadowMcp.Cli.Tests;

/// <summary>
/// "Several clients" (which lets shape evidence reach shadow) counts distinct clients of one server: the same address,
/// port and server name. A CDN or gateway address serves thousands of sites, so two clients whose flows to two
/// different sites there both look MCP-shaped are one client each, not several clients of one server.
/// </summary>
public sealed class ShapeSeveralClientsTests
{
    private static (FlowRef, string?) Flow(string client, string? sni) => (new FlowRef(client, 50_000, "104.16.0.9", 443, "tcp"), sni);

    [Test]
    public void ClientsPerServer_TwoClientsToTwoSitesOnOneAddress_OneClientEach()
    {
        var clients = ShapeStage.ClientsPerServer([Flow("10.0.0.7", "shop.example"), Flow("10.0.0.8", "news.example")]);

        Assert.That(clients[("104.16.0.9", 443, "shop.example")], Is.EqualTo(1));
        Assert.That(clients[("104.16.0.9", 443, "news.example")], Is.EqualTo(1));
    }

    [Test]
    public void ClientsPerServer_TwoClientsToOneSiteWrittenDifferently_SeveralClients()
    {
        var clients = ShapeStage.ClientsPerServer([Flow("10.0.0.7", "tools.rogue.example"), Flow("10.0.0.8", "Tools.Rogue.Example.")]);

        Assert.That(clients[("104.16.0.9", 443, ShapeStage.SniKey("tools.rogue.example"))], Is.EqualTo(2));
    }

    [Test]
    public void ClientsPerServer_FlowsWithoutSni_CountTogether()
    {
        var clients = ShapeStage.ClientsPerServer([Flow("10.0.0.7", null), Flow("10.0.0.8", null), Flow("10.0.0.7", null)]);

        Assert.That(clients[("104.16.0.9", 443, "")], Is.EqualTo(2));
    }
}
