using ShadowMcp.Classifier;
using ShadowMcp.Core.Findings;

namespace ShadowMcp.Cli.Tests;

/// <summary>
/// Detection over real SDK traffic: every MCP session in the corpus is found at its endpoint with the right
/// transport, protocol version and server, and no look-alike produces any finding.
/// </summary>
public sealed class CorpusDetectionTests
{
    private static IEnumerable<TestCaseData> HttpSessions() =>
        CorpusManifest.Where(e => e.IsMcp && e.Transport is not ("dns" or "tls"));

    private static IEnumerable<TestCaseData> LookAlikes() => CorpusManifest.Where(e => !e.IsMcp);

    [TestCaseSource(nameof(HttpSessions))]
    public void Scan_RealSdkSession_FindsShadowServerAtItsEndpoint(CorpusManifest.Entry e)
    {
        var report = CorpusScan.Run(RepoPaths.CorpusPcap(e.File));

        Assert.That(report.Errors, Is.Empty);
        var finding = report.Findings.SingleOrDefault(f => f.Endpoint.Address == e.ServerAddress && f.Endpoint.Port == e.Port && f.Endpoint.Path == e.Path);
        Assert.That(finding, Is.Not.Null, () => $"no finding at {e.ServerAddress}:{e.Port}{e.Path}; got: {string.Join("; ", report.Findings.Select(f => f.Endpoint.Key))}");
        Assert.Multiple(() =>
        {
            Assert.That(finding!.Verdict, Is.EqualTo(Verdict.Shadow));
            Assert.That(finding.Transport, Is.EqualTo(e.Transport));
            Assert.That(finding.ProtocolVersions, Does.Contain(e.ProtocolVersion));
            Assert.That(finding.Server?.Name, Is.EqualTo(e.ServerName));
            Assert.That(finding.Server?.Version, Is.EqualTo(e.ServerVersion));
            Assert.That(finding.Clients, Does.Contain(e.ClientAddress));
            Assert.That(finding.Tools, Is.SupersetOf(e.Tools));
            Assert.That(finding.Confidence, Is.GreaterThanOrEqualTo(0.8));
        });
        // The session is one endpoint: no second finding for the same server (e.g. the legacy SSE message path).
        Assert.That(report.Findings.Where(f => f.Endpoint.Address == e.ServerAddress && f.Endpoint.Port == e.Port && f.Verdict == Verdict.Shadow).ToList(), Has.Count.EqualTo(1));
    }

    [TestCaseSource(nameof(LookAlikes))]
    public void Scan_NonMcpLookAlike_ProducesNoFinding(CorpusManifest.Entry e)
    {
        var report = CorpusScan.Run(RepoPaths.CorpusPcap(e.File));

        Assert.That(report.Errors, Is.Empty);
        Assert.That(report.Stats.Observations, Is.GreaterThan(0), "the look-alike traffic must have been parsed, not skipped");
        Assert.That(report.Findings, Is.Empty, () => string.Join("; ", report.Findings.Select(f => $"{f.Endpoint.Key} {f.Verdict} {string.Join(",", f.Evidence.Select(x => x.Rule))}")));
    }

    [Test]
    public void Scan_DnsCapture_FlagsMcpNamesOnlyAndCuratedHostsAsShadow()
    {
        var e = CorpusManifest.Load().Files.Single(f => f.Transport == "dns");
        var report = CorpusScan.Run(RepoPaths.CorpusPcap(e.File));

        var byHost = report.Findings.Where(f => f.Endpoint.Address is null).ToDictionary(f => f.Endpoint.Host!);
        foreach (var host in e.Hosts)
        {
            if (host.IsMcp) Assert.That(byHost, Does.ContainKey(host.Name));
            else Assert.That(byHost, Does.Not.ContainKey(host.Name));
        }
        Assert.Multiple(() =>
        {
            Assert.That(byHost["mcp.notion.com"].Verdict, Is.EqualTo(Verdict.Shadow));
            Assert.That(byHost["mcp.notion.com"].Transport, Is.EqualTo(Transports.Dns));
            Assert.That(byHost["mcp.atlassian.com"].Verdict, Is.EqualTo(Verdict.Shadow));
            // Only a name pattern, not a known service: worth a look, not a block.
            Assert.That(byHost["mcp.acme-internal.example"].Verdict, Is.EqualTo(Verdict.Suspected));
        });
    }

    [Test]
    public void Scan_TlsCaptures_FlagsMcpSniIncludingSplitClientHello()
    {
        var entries = CorpusManifest.Load().Files.Where(f => f.Transport == "tls").ToList();
        var report = CorpusScan.Run([.. entries.Select(x => RepoPaths.CorpusPcap(x.File))]);

        var byHost = report.Findings.Where(f => f.Endpoint.Address is null).ToDictionary(f => f.Endpoint.Host!);
        foreach (var host in entries.SelectMany(x => x.Hosts))
        {
            if (host.IsMcp)
            {
                Assert.That(byHost, Does.ContainKey(host.Name));
                Assert.That(byHost[host.Name].Transport, Is.EqualTo(Transports.Tls));
                Assert.That(byHost[host.Name].Verdict, Is.EqualTo(Verdict.Shadow));
            }
            else Assert.That(byHost, Does.Not.ContainKey(host.Name));
        }
        Assert.That(byHost, Does.ContainKey("mcp.stripe.com"), "the ClientHello split over five segments must be reassembled");
    }

    [Test]
    public void Scan_SanctionedEndpoint_IsReportedAsSanctionedNotShadow()
    {
        var e = CorpusManifest.Load().Files.Single(f => f.File == "cs-stateful-2025-06-18.pcap");
        var options = new ClassifierOptions { Sanctioned = [new SanctionedEndpoint(null, e.ServerAddress, e.Port, "/mcp", "portal upstream 'tickets'")] };
        var report = CorpusScan.Run(options, RepoPaths.CorpusPcap(e.File));

        var finding = report.Findings.Single(f => f.Endpoint.Port == e.Port);
        Assert.That(finding.Verdict, Is.EqualTo(Verdict.Sanctioned));
        Assert.That(finding.VerdictReason, Does.Contain("tickets"));
    }

    [Test]
    public void Scan_OAuthProtectedServer_RecordsTheAuthChallengeAsEvidence()
    {
        var e = CorpusManifest.Load().Files.Single(f => f.File == "cs-oauth-401.pcap");
        var report = CorpusScan.Run(RepoPaths.CorpusPcap(e.File));

        var finding = report.Findings.Single(f => f.Endpoint.Address == e.ServerAddress && f.Endpoint.Path == e.Path);
        Assert.That(finding.Evidence.Select(x => x.Rule), Has.Some.Contains("oauth"));
    }
}
