using ShadowMcp.Core.Observations;

namespace ShadowMcp.Classifier.Tests;

/// <summary>All shipped rules over look-alike traffic that is not MCP: nothing may come out.</summary>
public sealed class CleanBaselineTests
{
    private static List<Observation> LookAlikes()
    {
        var lsp = Obs.Flow("10.0.1.7", 40000, "10.0.1.5", 7000);
        var acp = Obs.Flow("10.0.1.7", 40001, "10.0.1.5", 7001);
        var eth = Obs.Flow("10.0.1.7", 40002, "10.0.1.6", 8545);
        var openai = Obs.Flow("10.0.1.7", 40003, "10.0.1.8", 443);
        var notify = Obs.Flow("10.0.1.7", 40004, "10.0.1.9", 8080);
        var rest = Obs.Flow("10.0.1.7", 40005, "10.0.1.10", 8080);
        var dns = Obs.Flow("10.0.1.7", 40006, "10.0.1.1", 53, "udp");
        var tls = Obs.Flow("10.0.1.7", 40007, "140.82.112.3", 443);
        return
        [
            // LSP over HTTP: initialize with processId/rootUri, a serverInfo result, and LSP's own error text.
            Obs.Request(lsp, 0, "POST", "/lsp", "lsp.corp.example", ("content-type", "application/json")),
            Obs.Rpc(lsp, 0, """{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"processId":4242,"rootUri":"file:///work","capabilities":{"textDocument":{}},"clientInfo":{"name":"Visual Studio Code","version":"1.99"}}}""", "http.request", "POST", "/lsp"),
            Obs.Response(lsp, 0, 200, "application/json", "POST", "/lsp"),
            Obs.Rpc(lsp, 0, """{"jsonrpc":"2.0","id":1,"result":{"capabilities":{"hoverProvider":true},"serverInfo":{"name":"rust-analyzer","version":"1.80"}}}""", "http.response", "POST", "/lsp"),
            Obs.Rpc(lsp, 1, """{"jsonrpc":"2.0","method":"initialized","params":{}}""", "http.request", "POST", "/lsp"),
            Obs.Rpc(lsp, 1, """{"jsonrpc":"2.0","id":2,"error":{"code":-32002,"message":"Server not initialized"}}""", "http.response", "POST", "/lsp"),
            // agent-client-protocol: integer protocolVersion.
            Obs.Rpc(acp, 2, """{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":1,"clientCapabilities":{"fs":{"readTextFile":true}}}}""", "http.request", "POST", "/acp"),
            Obs.Rpc(acp, 2, """{"jsonrpc":"2.0","id":0,"result":{"protocolVersion":1,"agentCapabilities":{"loadSession":true},"authMethods":[]}}""", "http.response", "POST", "/acp"),
            Obs.Rpc(acp, 3, """{"jsonrpc":"2.0","method":"session/update","params":{"sessionId":"s1","update":{"sessionUpdate":"agent_message_chunk"}}}""", "http.response", "POST", "/acp"),
            // Ethereum JSON-RPC.
            Obs.Request(eth, 4, "POST", "/", "rpc.eth.example", ("content-type", "application/json"), ("accept", "application/json")),
            Obs.Rpc(eth, 4, """{"jsonrpc":"2.0","method":"eth_blockNumber","params":[],"id":1}""", "http.request", "POST", "/"),
            Obs.Response(eth, 4, 200, "application/json", "POST", "/"),
            Obs.Rpc(eth, 4, """{"jsonrpc":"2.0","id":1,"result":"0x10d4f"}""", "http.response", "POST", "/"),
            Obs.Rpc(eth, 5, """{"jsonrpc":"2.0","method":"net_version","params":[],"id":2}""", "http.request", "POST", "/"),
            Obs.Rpc(eth, 5, """{"jsonrpc":"2.0","id":2,"error":{"code":-32000,"message":"execution reverted"}}""", "http.response", "POST", "/"),
            // OpenAI-style chat stream.
            Obs.Request(openai, 6, "POST", "/v1/chat/completions", "api.openai.com", ("accept", "application/json"), ("content-type", "application/json"), ("authorization", "Bearer")),
            Obs.Response(openai, 6, 200, "text/event-stream", "POST", "/v1/chat/completions"),
            Obs.Sse(openai, 6, "message", """{"id":"chatcmpl-1","object":"chat.completion.chunk","choices":[{"delta":{"content":"Hi"}}]}""", "POST", "/v1/chat/completions"),
            Obs.Sse(openai, 7, "message", "[DONE]", "POST", "/v1/chat/completions"),
            // JSON-RPC notifications over SSE that are not MCP.
            Obs.Request(notify, 8, "GET", "/events", "status.corp.example", ("accept", "text/event-stream")),
            Obs.Response(notify, 8, 200, "text/event-stream", "GET", "/events"),
            Obs.Sse(notify, 8, "message", "{...}", "GET", "/events"),
            Obs.Rpc(notify, 8, """{"jsonrpc":"2.0","method":"statusChanged","params":{"service":"db","state":"up"}}""", "sse", "GET", "/events"),
            Obs.Rpc(notify, 9, """{"jsonrpc":"2.0","method":"notifications/progress","params":{"progress":50}}""", "sse", "GET", "/events"),
            // REST on a path that happens to be /mcp.
            Obs.Request(rest, 10, "GET", "/mcp", "inventory.corp.example", ("accept", "application/json")),
            Obs.Response(rest, 10, 200, "application/json", "GET", "/mcp"),
            Obs.Request(rest, 11, "POST", "/mcp", "inventory.corp.example", ("content-type", "application/json"), ("accept", "application/json")),
            Obs.Response(rest, 11, 201, "application/json", "POST", "/mcp", ("location", "/mcp/17")),
            // Ordinary names.
            Obs.Dns(dns, 12, "api.openai.com", response: true, "162.159.140.245"),
            Obs.Dns(dns, 12, "www.notion.com", response: true, "208.103.161.2"),
            Obs.Tls(tls, 13, "github.com"),
            // api.githubcopilot.com also serves MCP (at /mcp/), so its name alone is suspected (HostCatalogTests);
            // Copilot's other hosts are plain look-alikes.
            Obs.Tls(tls, 13, "copilot-proxy.githubusercontent.com"),
        ];
    }

    [Test]
    public void Classify_LookAlikeCorpus_NoFindingAtAll()
    {
        var findings = McpClassifier.Create(ShippedRules.RuleSet).Classify(LookAlikes());

        Assert.That(findings.Select(f => $"{f.Endpoint} {f.Verdict}: {string.Join(",", f.Evidence.Select(e => e.Rule))}"), Is.Empty);
    }

    [Test]
    public void Classify_LookAlikeCorpus_NoRuleAboveContextFires()
    {
        var hits = McpClassifier.Create(ShippedRules.RuleSet).Hits(LookAlikes()).ToList();

        Assert.That(hits.Where(h => h.Rule.Evidence.Strength != Rules.EvidenceStrength.Context).Select(h => h.Rule.Id), Is.Empty);
    }

    [Test]
    public void Classify_LookAlikesMixedWithRealSession_OnlyTheRealSessionIsFound()
    {
        var observations = LookAlikes();
        observations.AddRange(Sessions.StreamableHttp2025());

        var findings = McpClassifier.Create(ShippedRules.RuleSet).Classify(observations);

        Assert.That(findings.Select(f => f.Endpoint.Key), Is.EqualTo(new[] { "10.0.0.5:8123/mcp" }));
    }
}
