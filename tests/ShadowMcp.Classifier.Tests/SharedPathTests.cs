using System.Text.RegularExpressions;
using ShadowMcp.Classifier.Loading;
using ShadowMcp.Classifier.Matching;
using ShadowMcp.Core.Findings;

namespace ShadowMcp.Classifier.Tests;

/// <summary>
/// The shipped host catalog is data: every entry names where it was read, and a shared host (one that also
/// serves non-MCP APIs) is raised on HTTP only on the MCP path the catalog gives for it.
/// </summary>
public sealed partial class SharedPathTests
{
    [Test]
    public void ShippedCatalog_EveryEntry_HasASourceUrlAndAValidHost()
    {
        var hosts = ShippedRules.LintResult.Catalog.Hosts;

        Assert.That(hosts, Has.Count.GreaterThanOrEqualTo(150));
        foreach (var entry in hosts)
        {
            Assert.That(HostName().IsMatch(entry.Host), entry.Host + " is not a lower-case DNS name");
            Assert.That(Uri.TryCreate(entry.Source, UriKind.Absolute, out var uri) && uri.Scheme == "https",
                entry.Host + " has no https source: " + entry.Source);
            Assert.That(entry.Vendor, Is.Not.Empty, entry.Host);
            Assert.That(entry.Path is null || entry.Path.StartsWith('/'), entry.Host + " path " + entry.Path);
        }
        Assert.That(hosts.Count(h => h.Path is not null), Is.GreaterThanOrEqualTo(20), "shared hosts carry a path");
    }

    [TestCase("bigquery.googleapis.com", "/bigquery/v2/projects/p/datasets")]
    [TestCase("api.githubcopilot.com", "/chat/completions")]
    [TestCase("api.telnyx.com", "/mcp")]
    [TestCase("learn.microsoft.com", "/en-us/dotnet/")]
    [TestCase("api.githubcopilot.com", "/mcpx")]
    public void Classify_SharedHostOnANonMcpPath_GivesNoFinding(string host, string path)
    {
        var flow = Obs.Flow("10.0.0.7", 50010, "142.250.0.10", 80);

        var findings = McpClassifier.Create(ShippedRules.RuleSet).Classify(
            [Obs.Request(flow, 0, "POST", path, host, ("content-type", "application/json"))]);

        Assert.That(findings, Is.Empty);
    }

    [TestCase("bigquery.googleapis.com", "/mcp")]
    [TestCase("api.githubcopilot.com", "/mcp/")]
    [TestCase("api.githubcopilot.com", "/mcp")]
    [TestCase("api.telnyx.com", "/v2/mcp")]
    [TestCase("learn.microsoft.com", "/api/mcp")]
    public void Classify_SharedHostOnItsCatalogPath_IsAFindingFromTheHostRule(string host, string path)
    {
        var flow = Obs.Flow("10.0.0.7", 50011, "142.250.0.10", 80);

        var findings = McpClassifier.Create(ShippedRules.RuleSet).Classify(
            [Obs.Request(flow, 0, "POST", path, host, ("content-type", "application/json"))]);

        var finding = findings.Single();
        Assert.That(finding.Endpoint.Host, Is.EqualTo(host));
        Assert.That(finding.Evidence.Select(e => e.Rule), Does.Contain("mcp-known-host-http"));
    }

    [Test]
    public void Classify_SharedHostSniWithOnlyNonMcpRequests_StaysSuspected()
    {
        var flow = Obs.Flow("10.0.0.7", 50012, "142.250.0.10", 443);

        var findings = McpClassifier.Create(ShippedRules.RuleSet).Classify(
        [
            Obs.Tls(flow, 0, "bigquery.googleapis.com"),
            Obs.Request(flow, 1, "GET", "/bigquery/v2/projects", "bigquery.googleapis.com"),
        ]);

        Assert.That(findings.Select(f => f.Verdict), Is.All.EqualTo(Verdict.Suspected));
        Assert.That(findings.SelectMany(f => f.Evidence).Select(e => e.Rule), Has.None.EqualTo("mcp-known-host-http"));
    }

    [TestCase("/mcp", "/mcp/", true)]
    [TestCase("/mcp/", "/mcp/", true)]
    [TestCase("/mcp/sse", "/mcp/", true)]
    [TestCase("/mcp?x=1", "/mcp", true)]
    [TestCase("/MCP", "/mcp/", true)]
    [TestCase("/mcpx", "/mcp/", false)]
    [TestCase("/v2/calls", "/v2/mcp", false)]
    [TestCase("/", "/mcp", false)]
    [TestCase("/anything", "/", true)]
    public void IsUnder_ComparesWholePathSegments(string path, string root, bool expected) =>
        Assert.That(FieldMatcher.IsUnder(path, root), Is.EqualTo(expected));

    [Test]
    public void Lint_SharedPathListedWithAnotherList_IsAnError()
    {
        const string catalog = """
            hosts:
              - host: api.example-vendor.com
                path: /mcp/
                vendor: Example
                source: https://docs.example-vendor.com/mcp
                checked: 2026-12-01
            """;
        const string rule = """
            id: r
            title: t
            status: stable
            level: high
            description: d
            observation: http.request
            detection:
              s:
                host|catalog: [shared-path, shared]
              condition: s
            evidence:
              weight: 0.8
              strength: decisive
            """;

        var errors = RuleLinter.LintTexts([("h.catalog.yaml", catalog), ("r.yaml", rule)]).Diagnostics
            .Where(d => d.IsError).Select(d => d.Message);

        Assert.That(errors, Has.Some.Contains("list it alone"));
    }

    [GeneratedRegex(@"^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")]
    private static partial Regex HostName();
}
