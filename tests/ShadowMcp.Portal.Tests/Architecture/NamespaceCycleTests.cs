using ShadowMcp.Portal.Config;

namespace ShadowMcp.Portal.Tests.Architecture;

/// <summary>
/// Portal folders depend one way (Config at the bottom, Hosting and CodeMode at the top): a cycle is how a
/// refusal path ends up written by hand in several places, so a new one fails the build's tests.
/// </summary>
public sealed class NamespaceCycleTests
{
    private const string Root = "ShadowMcp.Portal";

    [Test]
    public void PortalFoldersFormNoCycle()
    {
        var edges = NamespaceGraph.Build(typeof(PortalConfig).Assembly, Root);
        var cycles = NamespaceGraph.Cycles(edges);
        var shown = string.Join("\n", edges.OrderBy(e => e.Key, StringComparer.Ordinal)
            .Select(e => $"{e.Key} -> {string.Join(", ", e.Value.Order(StringComparer.Ordinal))}"));
        Assert.That(cycles, Is.Empty, () =>
            $"cycles: {string.Join(" | ", cycles.Select(c => string.Join(" <-> ", c)))}\n{shown}");
    }

    [Test]
    public void TheGraphSeesReferencesFromMethodBodies()
    {
        // Config is the bottom layer; Hosting reaches it only through code (options, loaders), so seeing the edge
        // proves bodies are read and the check is not vacuous.
        var edges = NamespaceGraph.Build(typeof(PortalConfig).Assembly, Root);
        Assert.That(edges["Hosting"], Does.Contain("Config"));
        Assert.That(edges.GetValueOrDefault("Config") ?? [], Is.Empty);
    }

    [Test]
    public void ACycleIsReported()
    {
        var edges = new Dictionary<string, HashSet<string>>
        {
            ["Policy"] = ["Auth"],
            ["Auth"] = ["Hosting"],
            ["Hosting"] = ["Policy", "Config"],
            ["Config"] = [],
        };
        var cycles = NamespaceGraph.Cycles(edges);
        Assert.That(cycles, Has.Count.EqualTo(1));
        Assert.That(cycles[0], Is.EqualTo(new[] { "Auth", "Hosting", "Policy" }));
    }
}
