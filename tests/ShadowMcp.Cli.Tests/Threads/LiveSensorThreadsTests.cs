using System.Buffers.Binary;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ShadowMcp.Cli.Tests.Threads;

/// <summary>
/// <c>sensor --threads 2</c> records what <c>sensor --threads 1</c> records: the same captures (the bundled sample
/// and the corpus) replayed with tcpreplay into a veth pair of a namespace of the test's own, a real sensor on the
/// other end flushing every second, stopped by a signal. The findings, the flow log and the counters must match.
/// Times are the replay's (each run has its own), so they are left out of the comparison; so is the shape stage
/// (<c>--no-shape</c>), whose features include the gaps between packets, which the two replays do not share.
/// </summary>
[Category("Integration")]
[NonParallelizable]
public sealed partial class LiveSensorThreadsTests
{
    // Modest, so a loaded machine still reads every packet: a drop would make the runs differ for another reason.
    private const int PacketsPerSecond = 400;

    /// <summary>The sample and the corpus captures taken on Ethernet-like links (tcpreplay cannot send Linux cooked frames).</summary>
    private static string[] Captures() =>
        [RepoPaths.Sample, .. Directory.EnumerateFiles(Path.Combine(RepoPaths.Corpus, "pcaps")).Where(IsEthernet).Order(StringComparer.Ordinal)];

    /// <summary>The link type of a classic pcap (header offset 20) or of a pcapng's first interface block.</summary>
    private static bool IsEthernet(string path)
    {
        var head = new byte[512];
        using (var file = File.OpenRead(path)) file.ReadExactly(head, 0, Math.Min(head.Length, (int)file.Length));
        var magic = BinaryPrimitives.ReadUInt32LittleEndian(head);
        if (magic is 0xA1B2C3D4 or 0xA1B23C4D) return BinaryPrimitives.ReadUInt32LittleEndian(head.AsSpan(20)) == 1;
        if (magic != 0x0A0D0D0A) return false;
        var sectionLength = (int)BinaryPrimitives.ReadUInt32LittleEndian(head.AsSpan(4));
        return sectionLength + 10 <= head.Length
            && BinaryPrimitives.ReadUInt32LittleEndian(head.AsSpan(sectionLength)) == 1
            && BinaryPrimitives.ReadUInt16LittleEndian(head.AsSpan(sectionLength + 8)) == 1;
    }

    private sealed record Run(JsonNode Findings, JsonNode Stats, List<string> FlowLog, long Replayed, string Stderr);

    private static async Task<Run> SensorAsync(int threads, string stopSignal)
    {
        var dir = Directory.CreateTempSubdirectory("shadowmcp-threads-").FullName;
        try
        {
            using var ns = ReplayNamespace.Create();
            var flowLog = Path.Combine(dir, "flows.jsonl");
            using var sensor = ns.StartSensor(dir, "--threads", threads.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--flush-seconds", "1", "--no-shape", "--flow-log", flowLog);
            await sensor.WhileRunning(sensor.WaitForStderr($"capturing on {ReplayNamespace.CaptureInterface}"), "sensor did not start");

            var replayed = ns.Replay(PacketsPerSecond, Captures());
            sensor.Signal(stopSignal);
            Assert.That(await sensor.WaitForExitAsync(), Is.Zero, () => sensor.Stderr);

            var report = JsonNode.Parse(await sensor.Stdout)!;
            return new Run(report["findings"]!, report["stats"]!, [.. File.ReadAllLines(flowLog)], replayed, sensor.Stderr);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Test]
    public async Task Sensor_TwoThreads_RecordsWhatOneThreadRecords()
    {
        var one = await SensorAsync(threads: 1, stopSignal: "TERM");
        var two = await SensorAsync(threads: 2, stopSignal: "INT");

        foreach (var (run, name) in new[] { (one, "1 thread"), (two, "2 threads") })
        {
            Assert.That(run.Stats["packets"]!.GetValue<long>(), Is.EqualTo(run.Replayed), () => $"{name}: packets read\n{run.Stderr}");
            Assert.That(run.Stats["captureDropped"]!.GetValue<long>(), Is.Zero, () => $"{name}: dropped\n{run.Stderr}");
            Assert.That(run.Stats["captureReceived"]!.GetValue<long>(), Is.GreaterThanOrEqualTo(run.Replayed), () => $"{name}: received\n{run.Stderr}");
        }
        Assert.That(two.Stderr, Does.Contain("on 2 worker threads"));
        Assert.That(Captures(), Has.Length.GreaterThan(20).And.Contain(Path.Combine(RepoPaths.Corpus, "pcaps", "ts-json-response.pcapng")));
        Assert.That(one.Findings.AsArray(), Has.Count.GreaterThan(5), "the captures hold MCP servers");
        Assert.That(one.FlowLog, Has.Count.GreaterThan(50));

        Assert.That(Timeless(two.Findings), Is.EqualTo(Timeless(one.Findings)), "findings");
        // Lines are written at the flush after each flow ends, and flushes fall at other packets in each run.
        Assert.That(two.FlowLog.Select(Timeless).Order(StringComparer.Ordinal),
            Is.EqualTo(one.FlowLog.Select(Timeless).Order(StringComparer.Ordinal)), "flow log");
        // Packets, flows, observations, memory peak, libpcap's dropped: all of them but libpcap's received, which counts
        // whatever else crossed the veth while each sensor listened (a neighbour solicitation now and then), not what
        // the sensor did; it is held above to at least the packets replayed.
        Assert.That(Timeless(WithoutReceived(two.Stats)), Is.EqualTo(Timeless(WithoutReceived(one.Stats))), "counters");
    }

    private static string Timeless(JsonNode node) => Timeless(node.ToJsonString());

    private static JsonNode WithoutReceived(JsonNode stats)
    {
        var copy = stats.DeepClone().AsObject();
        Assert.That(copy.Remove("captureReceived"), Is.True, "the stats name libpcap's received count");
        return copy;
    }

    /// <summary>The JSON with every timestamp value replaced by a placeholder.</summary>
    private static string Timeless(string json) => Timestamp().Replace(json, "\"<time>\"");

    [GeneratedRegex("\"\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z\"")]
    private static partial Regex Timestamp();
}
