using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol;
using ShadowMcp.Portal.Config;
using ShadowMcp.Portal.Telemetry;
using ShadowMcp.Portal.Tests.Fixtures;

namespace ShadowMcp.Portal.Tests.Telemetry;

/// <summary>Real calls through a real portal move the portal's own instruments, with catalog-only labels.</summary>
[Category("Integration")]
public sealed class PortalMetricsTests
{
    private UpstreamServer _upstream = null!;
    private PortalFixture _portal = null!;
    private MeterListener _listener = null!;
    private readonly List<(string Instrument, double Value, Dictionary<string, string> Tags)> _seen = [];

    [SetUp]
    public async Task SetUp()
    {
        lock (_seen) _seen.Clear(); // NUnit keeps one instance of the fixture for all its tests
        _upstream = await UpstreamServer.StartAsync();
        var config = PortalFixture.Config1(("alpha", _upstream.McpUrl));
        config.Groups["dev"] = new GroupConfig { Servers = { ["alpha"] = ["*"] } };
        _portal = await PortalFixture.StartAsync(config);
        // Only this portal's meters: other tests' portals share the process.
        var factory = _portal.Services.GetRequiredService<IMeterFactory>();
        _listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == PortalMetrics.MeterName && ReferenceEquals(instrument.Meter.Scope, factory)) l.EnableMeasurementEvents(instrument);
            },
        };
        _listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<int>((i, v, tags, _) => Record(i, v, tags));
        _listener.Start();
    }

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var map = new Dictionary<string, string>();
        foreach (var (k, v) in tags) map[k] = v?.ToString() ?? "";
        lock (_seen) _seen.Add((instrument.Name, value, map));
    }

    [TearDown]
    public async Task TearDown()
    {
        _listener.Dispose();
        await _portal.DisposeAsync();
        await _upstream.DisposeAsync();
    }

    private List<Dictionary<string, string>> Seen(string instrument)
    {
        lock (_seen) return [.. _seen.Where(s => s.Instrument == instrument).Select(s => s.Tags)];
    }

    [Test]
    public async Task ToolCall_CountsCallAndLatencyByServerToolAndOutcome()
    {
        var client = await _portal.ConnectAsync(_portal.CreateToken("dev"));
        await client.CallToolAsync("alpha_echo", new Dictionary<string, object?> { ["text"] = "hi" });

        var calls = Seen("shadowmcp.portal.calls").Where(t => t["mcp.method"] == "tools/call").ToList();
        Assert.That(calls, Has.Count.EqualTo(1));
        Assert.That(calls[0], Does.ContainKey("server").WithValue("alpha"));
        Assert.That(calls[0], Does.ContainKey("tool").WithValue("alpha_echo"));
        Assert.That(calls[0], Does.ContainKey("outcome").WithValue("ok"));
        Assert.That(Seen("shadowmcp.portal.call.duration").Count(t => t["mcp.method"] == "tools/call" && t["tool"] == "alpha_echo"), Is.EqualTo(1));
    }

    [Test]
    public async Task UnknownTool_IsCountedWithoutTheCallersName()
    {
        var client = await _portal.ConnectAsync(_portal.CreateToken("dev"));
        const string invented = "alpha_sk-live-0123456789abcdef";
        Assert.ThrowsAsync<McpProtocolException>(async () => await client.CallToolAsync(invented, new Dictionary<string, object?>()));

        var calls = Seen("shadowmcp.portal.calls").Where(t => t["mcp.method"] == "tools/call").ToList();
        Assert.That(calls, Has.Count.EqualTo(1));
        Assert.That(calls[0]["tool"], Is.Empty, "a name the catalog does not hold never becomes a label");
        Assert.That(calls[0]["outcome"], Is.Not.EqualTo("ok"));
        Assert.That(_seen.SelectMany(s => s.Tags.Values), Has.None.Contains("sk-live"));
    }

    [Test]
    public async Task SecretInResult_CountsDlpHitsByDirectionAndDetector()
    {
        var client = await _portal.ConnectAsync(_portal.CreateToken("dev"));
        await client.CallToolAsync("alpha_leak", new Dictionary<string, object?>());

        var hits = Seen("shadowmcp.portal.dlp.hits");
        Assert.That(hits, Is.Not.Empty);
        Assert.That(hits.Select(h => h["direction"]), Has.All.EqualTo("result"));
        Assert.That(hits.Select(h => h["detector"]), Does.Contain("email"));
    }

    [Test]
    public async Task UpstreamHealth_IsObservedPerServer()
    {
        var client = await _portal.ConnectAsync(_portal.CreateToken("dev"));
        await client.ListToolsAsync();
        _listener.RecordObservableInstruments();

        var health = _seen.Where(s => s.Instrument == "shadowmcp.portal.upstream.healthy").ToList();
        Assert.That(health.Select(h => (h.Tags["server"], h.Value)), Does.Contain(("alpha", 1.0)));
    }
}
