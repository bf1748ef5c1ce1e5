using ShadowMcp.Core.Findings;
using ShadowMcp.Core.Observations;

namespace ShadowMcp.Classifier.Tests;

public sealed class AggregationTests
{
    private static IReadOnlyList<Finding> Classify(IEnumerable<Observation> observations, ClassifierOptions? options = null) =>
        McpClassifier.Create(ShippedRules.RuleSet, options).Classify(observations);

    [Test]
    public void Classify_StreamableHttp2025Session_OneShadowFindingWithSessionFacts()
    {
        var findings = Classify(Sessions.StreamableHttp2025());

        Assert.That(findings, Has.Count.EqualTo(1));
        var f = findings[0];
        Assert.Multiple(() =>
        {
            Assert.That(f.Endpoint.Key, Is.EqualTo("10.0.0.5:8123/mcp"));
            Assert.That(f.Endpoint.Host, Is.EqualTo("tools.corp.example"));
            Assert.That(f.Verdict, Is.EqualTo(Verdict.Shadow));
            Assert.That(f.Transport, Is.EqualTo(Transports.StreamableHttp));
            Assert.That(f.ProtocolVersions, Is.EqualTo(new[] { "2025-06-18" }));
            Assert.That(f.Server, Is.EqualTo(new ServerInfo("weather-server", "1.4.2")));
            Assert.That(f.Clients, Is.EqualTo(new[] { "10.0.0.7" }));
            Assert.That(f.ClientApps, Is.EqualTo(new[] { "claude-code 2.1" }));
            Assert.That(f.Tools, Is.EqualTo(new[] { "get_alerts", "get_forecast" }));
            Assert.That(f.Flows, Is.EqualTo(3));
            Assert.That(f.FirstSeen, Is.EqualTo(Obs.T0));
            Assert.That(f.LastSeen, Is.EqualTo(Obs.T0.AddSeconds(4)));
            Assert.That(f.Hosts, Does.Contain("tools.corp.example"));
            Assert.That(f.Confidence, Is.GreaterThan(0.9).And.LessThan(1.0));
        });
        var init = f.Evidence.Single(e => e.Rule == "mcp-initialize-request");
        Assert.That(init.Detail, Does.Contain("protocolVersion=2025-06-18").And.Contain("client=claude-code"));
        Assert.That(init.Strength, Is.EqualTo("strong"));
        Assert.That(init.Example, Does.Contain("initialize"));
        var session = f.Evidence.Single(e => e.Rule == "mcp-session-id-header");
        Assert.That(session.Count, Is.EqualTo(4));
        Assert.That(session.FirstSeen, Is.EqualTo(Obs.T0.AddSeconds(1)));
        Assert.That(session.LastSeen, Is.EqualTo(Obs.T0.AddSeconds(4)));
    }

    [Test]
    public void Classify_Stateless2026Session_ShadowStatelessWithDiscoverFacts()
    {
        var findings = Classify(Sessions.Stateless2026());

        Assert.That(findings, Has.Count.EqualTo(1));
        var f = findings[0];
        Assert.Multiple(() =>
        {
            Assert.That(f.Endpoint.Key, Is.EqualTo("10.0.0.6:5000/api/agent-tools"));
            Assert.That(f.Verdict, Is.EqualTo(Verdict.Shadow));
            Assert.That(f.Transport, Is.EqualTo(Transports.Stateless));
            Assert.That(f.ProtocolVersions, Is.EqualTo(new[] { "2026-07-28" }));
            Assert.That(f.Server, Is.EqualTo(new ServerInfo("InventoryServer", "3.0.1")));
            Assert.That(f.ClientApps, Is.EqualTo(new[] { "ModelContextProtocol.Client 2.4.0" }));
            Assert.That(f.Flows, Is.EqualTo(2));
            Assert.That(f.Endpoint.Host, Is.Null);
        });
        Assert.That(f.Evidence.Select(e => e.Rule), Is.SupersetOf(new[] { "mcp-discover-request", "mcp-discover-result", "mcp-method-header", "mcp-request-meta" }));
    }

    [Test]
    public void Classify_LegacySse2024Session_PostsMergeIntoTheStreamEndpoint()
    {
        var findings = Classify(Sessions.LegacySse2024());

        Assert.That(findings, Has.Count.EqualTo(1));
        var f = findings[0];
        Assert.Multiple(() =>
        {
            Assert.That(f.Endpoint.Key, Is.EqualTo("10.0.0.9:3001/sse"));
            Assert.That(f.Verdict, Is.EqualTo(Verdict.Shadow));
            Assert.That(f.Transport, Is.EqualTo(Transports.SseLegacy));
            Assert.That(f.ProtocolVersions, Is.EqualTo(new[] { "2024-11-05" }));
            Assert.That(f.Server?.Name, Is.EqualTo("everything"));
            Assert.That(f.ClientApps, Is.EqualTo(new[] { "mcp-inspector 0.9" }));
            Assert.That(f.Flows, Is.EqualTo(3));
        });
        Assert.That(f.Evidence.Select(e => e.Rule), Does.Contain("mcp-sse-endpoint-event").And.Contain("mcp-initialize-request").And.Contain("mcp-tools-request"));
    }

    [Test]
    public void Classify_LegacySse2024OnIpv6WithRelativePythonStyleUrl_MergesIntoStream()
    {
        var findings = Classify(Sessions.LegacySse2024(server: "fd00::5", port: 8000, streamPath: "/tools/sse", messageUrl: "messages/?session_id=ab12"));

        Assert.That(findings, Has.Count.EqualTo(1));
        Assert.That(findings[0].Endpoint.Key, Is.EqualTo("[fd00::5]:8000/tools/sse"));
        Assert.That(findings[0].Transport, Is.EqualTo(Transports.SseLegacy));
        Assert.That(findings[0].Verdict, Is.EqualTo(Verdict.Shadow));
    }

    [Test]
    public void Classify_MoreLegacySseMessagePathsThanRemembered_LatestSessionStillMerges()
    {
        // A server that gives every session its own message path: the aliases to the stream keep the most recent.
        var options = new ClassifierOptions { MaxTrackedEndpoints = 8 };
        var observations = Enumerable.Range(0, 40)
            .SelectMany(i => Sessions.LegacySse2024(messageUrl: $"/messages/{i}?sessionId=7d2a"));

        var findings = Classify(observations, options);

        Assert.That(findings.Select(f => f.Endpoint.Key), Is.EqualTo(new[] { "10.0.0.9:3001/sse" }));
        Assert.That(findings[0].Transport, Is.EqualTo(Transports.SseLegacy));
    }

    [Test]
    public void Classify_StreamableJson2025_03_26_JsonFlavourWithVersion()
    {
        var f = Classify(Sessions.StreamableJson2025()).Single();

        Assert.That(f.Transport, Is.EqualTo(Transports.StreamableHttpJson));
        Assert.That(f.ProtocolVersions, Is.EqualTo(new[] { "2025-03-26" }));
        Assert.That(f.Verdict, Is.EqualTo(Verdict.Shadow));
        Assert.That(f.Server, Is.EqualTo(new ServerInfo("py-server", "0.3")));
    }

    [Test]
    public void Classify_DnsAndTlsToNotion_OneShadowHostFinding()
    {
        var findings = Classify(Sessions.NotionDnsTls());

        Assert.That(findings, Has.Count.EqualTo(1));
        var f = findings[0];
        Assert.Multiple(() =>
        {
            Assert.That(f.Endpoint, Is.EqualTo(new Endpoint(null, null, "mcp.notion.com", null)));
            Assert.That(f.Verdict, Is.EqualTo(Verdict.Shadow));
            Assert.That(f.Transport, Is.EqualTo(Transports.Tls));
            Assert.That(f.Clients, Is.EqualTo(new[] { "10.0.0.7" }));
            Assert.That(f.Flows, Is.EqualTo(2));
        });
        Assert.That(f.Evidence.Select(e => e.Rule), Does.Contain("mcp-known-host-dns").And.Contain("mcp-known-host-tls"));
    }

    [Test]
    public void Classify_SessionToSanctionedHost_VerdictSanctioned()
    {
        var options = new ClassifierOptions { Sanctioned = [new SanctionedEndpoint("tools.corp.example", null, null, null, "portal upstream 'weather'")] };
        // The client's lookup ties the name to the address: a Host header alone is the client's word (SpoofedSanctionedNameTests).
        List<Observation> observations =
            [Obs.Dns(Obs.Flow("10.0.0.7", 5353, "10.0.0.1", 53, "udp"), 0, "tools.corp.example", response: true, "10.0.0.5"), .. Sessions.StreamableHttp2025()];

        var f = Classify(observations, options).Single(f => f.Endpoint.Address is not null);

        Assert.That(f.Verdict, Is.EqualTo(Verdict.Sanctioned));
        Assert.That(f.VerdictReason, Does.Contain("portal upstream 'weather'"));
    }

    [Test]
    public void Classify_SanctionedByDnsNameOfTheServerAddress_VerdictSanctioned()
    {
        var dnsFlow = Obs.Flow("10.0.0.7", 5353, "10.0.0.1", 53, "udp");
        var observations = new List<Observation> { Obs.Dns(dnsFlow, 0, "approved.corp.example", response: true, "10.0.0.5") };
        observations.AddRange(Sessions.StreamableHttp2025(host: "10.0.0.5"));
        var options = new ClassifierOptions { Sanctioned = [new SanctionedEndpoint("*.corp.example", null, 8123, null, "allow-list")] };

        var f = Classify(observations, options).Single();

        Assert.That(f.Hosts, Does.Contain("approved.corp.example"));
        Assert.That(f.Endpoint.Host, Is.EqualTo("approved.corp.example"));
        Assert.That(f.Verdict, Is.EqualTo(Verdict.Sanctioned));
    }

    [Test]
    public void Classify_SharedAddress_OnlyNamesTiedToTheFlowsAreHosts()
    {
        List<Observation> observations =
        [
            // The MCP client asked for shadow.example; another client asked for the web server's name.
            Obs.Dns(Obs.Flow("10.0.0.7", 5353, "10.0.0.1", 53, "udp"), 0, "shadow.example", response: true, "10.0.0.5"),
            Obs.Dns(Obs.Flow("10.0.0.9", 5353, "10.0.0.1", 53, "udp"), 0, "www.example", response: true, "10.0.0.5"),
        ];
        observations.AddRange(Sessions.StreamableHttp2025(host: "10.0.0.5"));
        // An answer after the flows does not name them either.
        observations.Add(Obs.Dns(Obs.Flow("10.0.0.7", 5354, "10.0.0.1", 53, "udp"), 3600, "upstream.corp.example", response: true, "10.0.0.5"));

        var f = Classify(observations).Single();

        Assert.That(f.Hosts, Is.EqualTo(new[] { "shadow.example" }));
        Assert.That(f.Endpoint.Host, Is.EqualTo("shadow.example"));
        Assert.That(f.AddressNames, Is.EqualTo(new[] { "upstream.corp.example", "www.example" }));
        var json = System.Text.Json.JsonSerializer.Serialize(
            ShadowMcp.Core.Serialization.FindingDocument.From(f), ShadowMcp.Core.Serialization.JsonDefaults.Options);
        Assert.That(json, Does.Contain("\"addressNames\":[\"upstream.corp.example\",\"www.example\"]"));
    }

    [Test]
    public void Classify_DnsAnswerToAnotherClient_IsOnlyAnAddressName()
    {
        List<Observation> observations =
            [Obs.Dns(Obs.Flow("10.0.0.9", 5353, "10.0.0.1", 53, "udp"), 0, "approved.corp.example", response: true, "10.0.0.5")];
        observations.AddRange(Sessions.StreamableHttp2025(host: "10.0.0.5"));
        var options = new ClassifierOptions { Sanctioned = [new SanctionedEndpoint("*.corp.example", null, null, null, "allow-list")] };

        var f = Classify(observations, options).Single();

        Assert.That(f.Hosts, Is.Empty);
        Assert.That(f.Endpoint.Host, Is.Null);
        Assert.That(f.AddressNames, Is.EqualTo(new[] { "approved.corp.example" }));
        Assert.That(f.Verdict, Is.EqualTo(Verdict.Shadow), "a name that merely resolved there does not sanction the server");
    }

    [Test]
    public void Classify_SanctionedEntryForAnotherPort_StaysShadow()
    {
        var options = new ClassifierOptions { Sanctioned = [new SanctionedEndpoint(null, "10.0.0.5", 9999, null, "other service")] };

        Assert.That(Classify(Sessions.StreamableHttp2025(), options).Single().Verdict, Is.EqualTo(Verdict.Shadow));
    }

    [Test]
    public void Classify_McpPatternHostnameOnly_Suspected()
    {
        var flow = Obs.Flow("10.0.0.7", 5353, "10.0.0.1", 53, "udp");

        var f = Classify([Obs.Dns(flow, 0, "mcp.acme.example", response: false)]).Single();

        Assert.That(f.Verdict, Is.EqualTo(Verdict.Suspected));
        Assert.That(f.Transport, Is.EqualTo(Transports.Dns));
        Assert.That(f.Confidence, Is.EqualTo(0.3));
    }

    [Test]
    public void Classify_LoneInitializeRequest_SuspectedNotShadow()
    {
        var flow = Obs.Flow("10.0.0.7", 50001, "10.0.0.5", 8123);
        var only = Sessions.StreamableHttp2025()[1];
        Assert.That(only.Kind, Is.EqualTo(ObservationKinds.JsonRpcRequest));

        var f = Classify([only]).Single();

        Assert.That(f.Verdict, Is.EqualTo(Verdict.Suspected));
        Assert.That(f.VerdictReason, Does.Contain("mcp-initialize-request"));
        Assert.That(flow.Server, Is.EqualTo(f.Endpoint.Address));
    }

    [Test]
    public void Classify_OnlyContextEvidence_NoFinding()
    {
        var flow = Obs.Flow("10.0.0.7", 50001, "10.0.0.5", 8123);

        var findings = Classify([
            Obs.Request(flow, 0, "POST", "/rpc", null, ("accept", "application/json, text/event-stream")),
            Obs.Rpc(flow, 0, """{"jsonrpc":"2.0","id":1,"method":"tools/list"}""", "http.request", "POST", "/rpc"),
        ]);

        Assert.That(findings, Is.Empty);
    }

    [Test]
    public void Classify_OAuthMetadataFetchOnSameServer_SupportsPathFinding()
    {
        var flow = Obs.Flow("10.0.0.7", 50001, "10.0.0.5", 8123);
        var observations = new List<Observation> { Obs.Request(flow, 0, "GET", "/.well-known/oauth-protected-resource/mcp", null) };
        observations.Add(Sessions.StreamableHttp2025()[1]);

        var f = Classify(observations).Single();

        Assert.That(f.Endpoint.Path, Is.EqualTo("/mcp"));
        Assert.That(f.Evidence.Select(e => e.Rule), Does.Contain("mcp-oauth-metadata-fetch"));
        Assert.That(f.Verdict, Is.EqualTo(Verdict.Shadow));
    }

    [Test]
    public void Aggregator_SnapshotThenMoreObservations_SnapshotUnchangedAndNewOneGrows()
    {
        var aggregator = McpClassifier.Create(ShippedRules.RuleSet).CreateAggregator();
        var session = Sessions.StreamableHttp2025();
        foreach (var o in session.Take(5)) aggregator.Add(o);
        var first = aggregator.Snapshot();
        foreach (var o in session.Skip(5)) aggregator.Add(o);
        var second = aggregator.Snapshot();

        Assert.That(first.Single().Flows, Is.EqualTo(1));
        Assert.That(second.Single().Flows, Is.EqualTo(3));
        Assert.That(aggregator.Observations, Is.EqualTo(session.Count));
    }
}
