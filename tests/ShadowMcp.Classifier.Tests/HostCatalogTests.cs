using ShadowMcp.Classifier.Loading;

namespace ShadowMcp.Classifier.Tests;

public class HostCatalogTests
{
    private const string Rule = """
        id: known-host
        title: t
        status: stable
        level: high
        description: d
        observation: dns
        detection:
          known:
            name|catalog: mcp-only
          other:
            name|catalog: not-mcp
          condition: known and not other
        evidence:
          weight: 0.8
          strength: decisive
        tests:
          match:
            - name: mcp.example-vendor.com
          no_match:
            - name: mcp.minecraftforge.net
        """;

    private const string Catalog = """
        hosts:
          - host: mcp.example-vendor.com
            vendor: Example
            source: https://docs.example-vendor.com/mcp
            checked: 2026-12-01
          - host: api.example-vendor.com
            path: /mcp/
            vendor: Example
            source: https://docs.example-vendor.com/mcp
            checked: 2026-12-01
        not_mcp:
          - host: mcp.minecraftforge.net
            reason: Mod Coder Pack
            source: https://github.com/MinecraftForge/MCPConfig
            checked: 2026-12-04

        """;

    private static List<string> Errors(string catalog) =>
        RuleLinter.LintTexts([("hosts.catalog.yaml", catalog), ("r.yaml", Rule)]).Diagnostics
            .Where(d => d.IsError).Select(d => d.ToString()).ToList();

    [Test]
    public void Lint_RuleNamingCatalogLists_ExpandsThem()
    {
        var result = RuleLinter.LintTexts([("hosts.catalog.yaml", Catalog), ("r.yaml", Rule)]);

        Assert.That(result.Diagnostics, Is.Empty);
        Assert.That(result.Rules.Single().Id, Is.EqualTo("known-host"));
        Assert.That(result.Catalog.Set(HostCatalog.Shared), Is.EqualTo(new[] { "api.example-vendor.com" }));
        Assert.That(result.Catalog.Set(HostCatalog.McpOnly), Is.EqualTo(new[] { "mcp.example-vendor.com" }));
    }

    [TestCase("  - host: mcp.example-vendor.com\n    vendor: Again\n    source: https://a.example/x\n    checked: 2026-12-01\n", "duplicate host 'mcp.example-vendor.com'")]
    [TestCase("  - host: api.example-vendor.com\n    vendor: Again\n    source: https://a.example/x\n    checked: 2026-12-01\n", "both with and without a path")]
    [TestCase("  - host: MCP.Upper.com\n    vendor: V\n    source: https://a.example/x\n    checked: 2026-12-01\n", "not a lower-case DNS name")]
    [TestCase("  - host: mcp.ok.com\n    vendor: V\n    source: not a url\n    checked: 2026-12-01\n", "is not an http(s) URL")]
    [TestCase("  - host: mcp.ok.com\n    vendor: V\n    source: https://a.example/x\n    checked: last week\n", "is not a date")]
    [TestCase("  - host: mcp.ok.com\n    vendor: V\n    path: mcp\n    source: https://a.example/x\n    checked: 2026-12-01\n", "must start with '/'")]
    [TestCase("  - host: mcp.ok.com\n    source: https://a.example/x\n    checked: 2026-12-01\n", "entry without 'vendor'")]
    [TestCase("  - host: mcp.ok.com\n    vendor: V\n    source: https://a.example/x\n    checked: 2026-12-01\n    color: red\n", "unknown key 'color'")]
    [TestCase("  - host: mcp.ok.com\n    vendor: V\n    source: https://a.example/x\n    checked: 2026-12-01\n    source_kind: vendor\n", "source_kind 'vendor' is not 'community-list'")]
    public void Lint_BadCatalogEntry_IsAnErrorWithItsPosition(string extra, string expected)
    {
        var catalog = Catalog.Replace("not_mcp:", extra + "not_mcp:", StringComparison.Ordinal);

        var errors = Errors(catalog);

        Assert.That(errors, Has.Some.Contains(expected).And.Some.StartsWith("hosts.catalog.yaml:"));
    }

    [Test]
    public void Lint_CommunityListedEntry_IsLoadedAndMarked()
    {
        var catalog = Catalog.Replace("not_mcp:",
            "  - host: mcp.listed.example\n    vendor: V\n    source: https://github.com/a/list\n    checked: 2026-12-05\n" +
            "    source_kind: community-list\nnot_mcp:", StringComparison.Ordinal);

        var result = RuleLinter.LintTexts([("hosts.catalog.yaml", catalog), ("r.yaml", Rule)]);

        Assert.That(result.Diagnostics.Where(d => d.IsError), Is.Empty);
        Assert.That(result.Catalog.Hosts.Single(h => h.Host == "mcp.listed.example").CommunityListed, Is.True);
        Assert.That(result.Catalog.Hosts.Single(h => h.Host == "mcp.example-vendor.com").CommunityListed, Is.False);
        Assert.That(result.Catalog.Set(HostCatalog.McpOnly), Does.Contain("mcp.listed.example"));
    }

    [Test]
    public void Lint_NameListedBothAsMcpAndNotMcp_IsRejected()
    {
        var catalog = Catalog + "  - host: mcp.example-vendor.com\n    reason: r\n    source: https://a.example/x\n    checked: 2026-12-01\n";

        Assert.That(Errors(catalog), Has.Some.Contains("duplicate host 'mcp.example-vendor.com'"));
    }

    [Test]
    public void Lint_CatalogModifierWithoutCatalog_IsAnError()
    {
        var errors = RuleLinter.LintText("r.yaml", Rule).Diagnostics.Where(d => d.IsError).Select(d => d.Message);

        Assert.That(errors, Has.Some.Contains("no host catalog"));
    }

    [Test]
    public void ShippedCatalog_LintsCleanAndHasNoDuplicates()
    {
        var root = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "ShadowMcp.sln"))) root = root.Parent;
        var result = RuleLinter.LintDirectory(Path.Combine(root!.FullName, "rules"));

        Assert.That(result.Diagnostics.Where(d => d.IsError), Is.Empty);
        Assert.That(result.Catalog.Hosts.Select(h => h.Host + h.Path), Is.Unique);
        Assert.That(result.Catalog.Set(HostCatalog.NotMcp), Does.Contain("mcp.minecraftforge.net"));
        // A community list is never presented as the vendor's documentation.
        var listed = result.Catalog.Hosts.Where(h => h.Source.Contains("awesome-remote-mcp-servers", StringComparison.Ordinal)
            || h.Source.Contains("docs.langdock.com", StringComparison.Ordinal));
        Assert.That(listed.Select(h => h.CommunityListed), Is.All.True);
    }
}

public class SharedHostVerdictTests
{
    [Test]
    public void Classify_SharedHostNameAlone_IsSuspected()
    {
        var tls = Obs.Flow("10.0.0.7", 50000, "140.82.112.21", 443);
        var dns = Obs.Flow("10.0.0.7", 50001, "10.0.0.53", 53, "udp");

        var findings = McpClassifier.Create(ShippedRules.RuleSet).Classify(
            [Obs.Tls(tls, 1, "api.githubcopilot.com"), Obs.Dns(dns, 0, "api.githubcopilot.com", false)]);

        var finding = findings.Single(f => f.Endpoint.Host == "api.githubcopilot.com");
        Assert.That(finding.Verdict, Is.EqualTo(ShadowMcp.Core.Findings.Verdict.Suspected));
    }

    [Test]
    public void Classify_ModCoderPackName_IsNotRaisedByTheMcpPattern()
    {
        var dns = Obs.Flow("10.0.0.7", 50001, "10.0.0.53", 53, "udp");
        var tls = Obs.Flow("10.0.0.7", 50002, "104.18.0.1", 443);

        var findings = McpClassifier.Create(ShippedRules.RuleSet).Classify(
            [Obs.Dns(dns, 0, "mcp.minecraftforge.net", false), Obs.Tls(tls, 1, "mcp.minecraftforge.net"),
             Obs.Dns(dns, 2, "mcp.acme-internal.example", false)]);

        Assert.That(findings.Select(f => f.Endpoint.Host), Is.EqualTo(new[] { "mcp.acme-internal.example" }));
    }

    [Test]
    public void Classify_McpOnTheSharedHostsPath_IsShadow()
    {
        var flow = Obs.Flow("10.0.0.7", 50003, "140.82.112.21", 443);

        var findings = McpClassifier.Create(ShippedRules.RuleSet).Classify(
        [
            Obs.Tls(flow, 0, "api.githubcopilot.com"),
            Obs.Request(flow, 1, "POST", "/mcp/", "api.githubcopilot.com", ("content-type", "application/json")),
            Obs.Rpc(flow, 1, """{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"c","version":"1"}}}""",
                "http.request", "POST", "/mcp/"),
        ]);

        Assert.That(findings.Where(f => f.Endpoint.Path == "/mcp/").Select(f => f.Verdict),
            Is.EqualTo(new[] { ShadowMcp.Core.Findings.Verdict.Shadow }));
    }
}
