using System.Diagnostics.Metrics;
using ShadowMcp.Core.Observations;

namespace ShadowMcp.Cli.Scanning;

/// <summary>
/// The live sensor's instruments (meter <see cref="MeterName"/>; listed in README "Metrics"). The counters are
/// observed from the capture's own <see cref="ScanStats"/> when a reader collects, so the packet loop pays nothing;
/// only the flush records a measurement itself. One label, the interface name, which the operator chose.
/// </summary>
public sealed class SensorMetrics
{
    public const string MeterName = "ShadowMcp.Sensor";

    private readonly Lock _gate = new();
    private readonly Dictionary<string, (Func<ScanStats> Stats, Func<int> Findings)> _captures = new(StringComparer.Ordinal);
    private readonly Histogram<double> _flush;

    public SensorMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        Observe(meter, "shadowmcp.sensor.packets", "{packet}", "Packets the sensor decoded", s => s.Packets);
        Observe(meter, "shadowmcp.sensor.bytes", "By", "Bytes of the packets the sensor decoded", s => s.Bytes);
        Observe(meter, "shadowmcp.sensor.flows", "{flow}", "TCP/UDP flows the sensor started tracking", s => s.Flows);
        Observe(meter, "shadowmcp.sensor.flow.evictions", "{flow}", "Flows dropped from the flow table to stay within memory limits",
            s => s.FlowEvictions);
        Observe(meter, "shadowmcp.sensor.observations", "{observation}", "MCP observations the analyzers reported", s => s.Observations);
        meter.CreateObservableCounter("shadowmcp.sensor.drops", () => Each<long>(c =>
            [
                new Measurement<long>(c.Stats.CaptureDropped ?? 0, Tag(c.Interface), new("where", "kernel")),
                new Measurement<long>(c.Stats.CaptureInterfaceDropped ?? 0, Tag(c.Interface), new("where", "interface")),
            ]), "{packet}", "Packets lost before the sensor read them: by the kernel (sensor too slow) or the interface/driver (as of the last flush)");
        meter.CreateObservableGauge("shadowmcp.sensor.findings", () => Each<int>(c => [new Measurement<int>(c.Findings(), Tag(c.Interface))]),
            "{finding}", "Findings in the sensor's current snapshot (as of the last flush)");
        _flush = meter.CreateHistogram<double>("shadowmcp.sensor.flush.duration", "s",
            "Time to snapshot findings, resolve the flow log and save them to the store",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] });
    }

    /// <summary>
    /// Observes one capture's counters until it is disposed: <paramref name="stats"/> gives the counters to read now
    /// (one thread: the capture's own, always current; several: those of the last flush).
    /// </summary>
    public IDisposable Watch(string iface, Func<ScanStats> stats, Func<int> findings)
    {
        lock (_gate) _captures[iface] = (stats, findings);
        return new Unwatch(this, iface);
    }

    public void Flushed(string iface, TimeSpan took) => _flush.Record(took.TotalSeconds, Tag(iface));

    private void Observe(Meter meter, string name, string unit, string description, Func<ScanStats, long> read) =>
        meter.CreateObservableCounter(name, () => Each<long>(c => [new Measurement<long>(read(c.Stats), Tag(c.Interface))]), unit, description);

    private List<Measurement<T>> Each<T>(Func<(string Interface, ScanStats Stats, Func<int> Findings), Measurement<T>[]> measure) where T : struct
    {
        lock (_gate) return [.. _captures.SelectMany(kv => measure((kv.Key, kv.Value.Stats(), kv.Value.Findings)))];
    }

    private static KeyValuePair<string, object?> Tag(string iface) => new("interface", iface);

    private sealed class Unwatch(SensorMetrics metrics, string iface) : IDisposable
    {
        public void Dispose()
        {
            lock (metrics._gate) metrics._captures.Remove(iface);
        }
    }
}
