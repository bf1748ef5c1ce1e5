using ShadowMcp.Core.Observations;
using ShadowMcp.Core.Observations.Catalogue;

namespace ShadowMcp.Core.Tests.Observations.Catalogue;

/// <summary>docs/observations.md must be what the catalogue generates, so the doc cannot drift from the Scanner.</summary>
public class ObservationDocTests
{
    private static string DocPath()
    {
        var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "ShadowMcp.sln"))) dir = dir.Parent;
        Assert.That(dir, Is.Not.Null, "repository root (ShadowMcp.sln) not found above the test directory");
        return Path.Combine(dir!.FullName, "docs", "observations.md");
    }

    [Test]
    public void CommittedDoc_EqualsTheGeneratedDoc()
    {
        var path = DocPath();
        var committed = File.ReadAllText(path);
        var generated = ObservationDoc.Render(committed);
        // Set to rewrite the doc after a catalogue change; the assertion below still runs on the result.
        if (Environment.GetEnvironmentVariable("SHADOWMCP_UPDATE_DOCS") == "1")
        {
            File.WriteAllText(path, generated);
            committed = generated;
        }
        Assert.That(committed, Is.EqualTo(generated),
            "docs/observations.md differs from the catalogue; regenerate: SHADOWMCP_UPDATE_DOCS=1 dotnet test tests/ShadowMcp.Core.Tests --filter ObservationDocTests");
    }

    [Test]
    public void Render_TableOfAnUnknownKind_Throws() =>
        Assert.That(() => ObservationDoc.Render("<!-- fields: http.requets -->\n<!-- end fields -->\n"),
            Throws.InvalidOperationException.With.Message.Contains("http.requets"));

    [Test]
    public void Render_KindWithoutTable_Throws() =>
        Assert.That(() => ObservationDoc.Render("<!-- fields: dns -->\n<!-- end fields -->\n"),
            Throws.InvalidOperationException.With.Message.Contains("http.request"));

    [Test]
    public void Render_StaleTable_IsReplacedByTheCatalogue()
    {
        var stale = string.Concat(ObservationCatalogue.Kinds.Select(k => $"<!-- fields: {k.Kind} -->\n| old |\n<!-- end fields -->\n"));

        var rendered = ObservationDoc.Render(stale);

        Assert.That(rendered, Does.Not.Contain("| old |").And.Contain("| `header.NAME` | text | many |").And.Contain("| `params.…` | json | many |"));
    }

    [Test]
    public void Catalogue_ListsExactlyTheKindsRulesMayName() =>
        Assert.That(ObservationCatalogue.Kinds.Select(k => k.Kind), Is.EqualTo(ObservationKinds.All));

    [TestCase("jsonrpc", "params.clientInfo.name", true)]
    [TestCase("jsonrpc.request", "params[]", true)]
    [TestCase("jsonrpc.request", "paramsx", false)]
    [TestCase("jsonrpc.notification", "id", false)]
    [TestCase("http.request", "header.mcp-session-id", true)]
    [TestCase("http.request", "header.www-authenticate", false)]
    [TestCase("http.response", "header.www-authenticate", true)]
    [TestCase("sse", "request.header.accept", true)]
    [TestCase("dns", "flow.server_port", true)]
    [TestCase("dns", "flow.serverport", false)]
    public void IsKnownField_FollowsTheCatalogue(string ruleKind, string path, bool known) =>
        Assert.That(ObservationCatalogue.IsKnownField(ruleKind, path), Is.EqualTo(known));

    [TestCase("http.request", "header.mcp-sesion-id", "header.mcp-session-id")]
    [TestCase("jsonrpc.request", "mehtod", "method")]
    [TestCase("tls.clienthello", "zzzzzzzzzzzz", null)]
    public void Suggest_GivesTheNearestField(string ruleKind, string path, string? expected) =>
        Assert.That(ObservationCatalogue.Suggest(ruleKind, path), Is.EqualTo(expected));
}
