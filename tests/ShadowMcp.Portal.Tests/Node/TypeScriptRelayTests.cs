using System.Text.Json;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using ShadowMcp.Portal.Config;
using ShadowMcp.Portal.Tests.Fixtures;

namespace ShadowMcp.Portal.Tests.Node;

/// <summary>The official TypeScript SDK on either side of the portal's mid-call relays.</summary>
[Category("Integration")]
public sealed class TypeScriptRelayTests
{
    [Test]
    public async Task TypeScriptClient_SeesUpstreamProgress_AndAnswersItsQuestion()
    {
        await using var upstream = await UpstreamServer.StartAsync([.. UpstreamServer.DefaultTools(), .. UpstreamServer.RelayTools()]);
        var config = PortalFixture.Config1(("alpha", upstream.McpUrl));
        config.Groups["dev"] = new GroupConfig { Servers = { ["alpha"] = ["*"] } };
        await using var portal = await PortalFixture.StartAsync(config);

        var (code, stdout, stderr) = await NodeScripts.RunAsync("relay-client.mjs", TimeSpan.FromSeconds(60),
            portal.McpUrl, portal.CreateToken("dev"), "alpha_progress", "alpha_ask", "amber");

        Assert.That(code, Is.Zero, stderr + stdout);
        using var doc = JsonDocument.Parse(stdout);
        var root = doc.RootElement;
        Assert.That(root.GetProperty("progress").EnumerateArray().Select(p => p.GetString()), Is.EqualTo(new[] { "step 1", "step 2", "step 3" }));
        Assert.That(root.GetProperty("progressText").GetString(), Is.EqualTo("progress done"));
        Assert.That(root.GetProperty("asked").EnumerateArray().Select(p => p.GetString()), Is.EqualTo(new[] { "Which colour should the fixture use?" }));
        Assert.That(root.GetProperty("askText").GetString(), Is.EqualTo("answer: accept amber"));
    }

    [Test]
    public async Task TypeScriptStdioUpstream_ProgressAndQuestion_ReachTheCSharpCaller()
    {
        var config = new PortalConfig();
        config.Portal.RefreshSeconds = 3600;
        config.Upstreams.Add(new UpstreamConfig
        {
            Id = "ts", Command = "node", Args = [Path.Combine(NodeScripts.Folder, "server.mjs"), "stdio"], TimeoutSeconds = 30,
        });
        config.Groups["dev"] = new GroupConfig { Servers = { ["ts"] = ["*"] } };
        await using var portal = await PortalFixture.StartAsync(config);
        await portal.Registry.EnsureRefreshedAsync();
        string? asked = null;
        await using var client = await McpClient.CreateAsync(new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = new Uri(portal.McpUrl),
            TransportMode = HttpTransportMode.StreamableHttp,
            AdditionalHeaders = new Dictionary<string, string> { ["Authorization"] = $"Bearer {portal.CreateToken("dev")}" },
        }), new McpClientOptions
        {
            ProtocolVersion = "2025-11-25",
            Handlers = new McpClientHandlers
            {
                ElicitationHandler = (request, _) =>
                {
                    asked = request?.Message;
                    return ValueTask.FromResult(new ElicitResult
                    {
                        Action = "accept",
                        Content = new Dictionary<string, JsonElement> { ["colour"] = JsonSerializer.SerializeToElement("violet") },
                    });
                },
            },
        });
        var steps = new List<string?>();

        var progressed = await client.CallToolAsync("ts_progress", new Dictionary<string, object?>(), new Collect(v => { lock (steps) steps.Add(v.Message); }));
        var answered = await client.CallToolAsync("ts_ask", new Dictionary<string, object?>());

        Assert.That(((TextContentBlock)progressed.Content[0]).Text, Is.EqualTo("TS progress done"));
        lock (steps) Assert.That(steps, Is.EqualTo(new[] { "ts step 1", "ts step 2", "ts step 3" }));
        Assert.That(asked, Is.EqualTo("Which colour does the TS server want?"));
        Assert.That(((TextContentBlock)answered.Content[0]).Text, Is.EqualTo("TS answer: accept violet"));
    }

    private sealed class Collect(Action<ProgressNotificationValue> report) : IProgress<ProgressNotificationValue>
    {
        public void Report(ProgressNotificationValue value) => report(value);
    }
}
