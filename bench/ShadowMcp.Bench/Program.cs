using System.Diagnostics;
using ShadowMcp.Classifier;
using ShadowMcp.Core.Observations;
using ShadowMcp.Scanner;
using ShadowMcp.Scanner.Analysis;
using ShadowMcp.Scanner.Sessions;

// Stage-by-stage throughput of the passive pipeline on one capture file, single-threaded:
//   decode   = read + link/IP/TCP decode + flow table, no analyzer (every flow uninteresting)
//   analyze  = decode + reassembly + HTTP/SSE/JSON-RPC/DNS/TLS analyzers, observations counted and dropped
//   match    = analyze + every observation matched against the rules, hits dropped (no aggregation)
//   classify = analyze + rules + aggregation into findings (what `shadowmcp scan --no-store` does)
// Each stage runs RUNS times after one warm-up; CPU time is the process's, so other load on the machine
// inflates wall time but not CPU time.
if (args.Length < 1) { Console.Error.WriteLine("usage: ShadowMcp.Bench FILE [RUNS] [RULES_DIR]"); return 2; }
var file = args[0];
var runs = args.Length > 1 ? int.Parse(args[1]) : 3;
var rules = args.Length > 2 ? args[2] : RulesLocator.Require();
var classifier = McpClassifier.Create(rules);
var scanner = new CaptureFileScanner();

// BENCH_ALLOC_TYPES=decode|analyze|match|classify (1 = classify): one warm-up run, then that stage's sampled allocations by type.
if (Environment.GetEnvironmentVariable("BENCH_ALLOC_TYPES") is { Length: > 0 } typesStage)
{
    var stage = typesStage == "1" ? "classify" : typesStage;
    Func<ScanStats> run = stage switch
    {
        "decode" => () => { var s = new ScanStats(); scanner.Scan(file, NullFactory.Instance, s); return s; },
        "analyze" => () => { var s = new ScanStats(); scanner.Scan(file, new DefaultAnalyzerFactory(new CountingSink(s), "bench"), s); return s; },
        "match" => () => { var s = new ScanStats(); scanner.Scan(file, new DefaultAnalyzerFactory(new MatchingSink(classifier.Rules, s), "bench"), s); return s; },
        _ => () => { var s = new ScanStats(); scanner.Scan(file, new DefaultAnalyzerFactory(new AggregatingSink(classifier.CreateAggregator(), s), "bench"), s); return s; },
    };
    run(); // warm-up, so JIT and first-use tables are not counted
    using var listener = new AllocationTypes();
    var measured = run();
    Console.WriteLine($"{stage} stage, sampled allocations by type ({measured.Packets} packets):");
    listener.Print(measured.Packets);
    return 0;
}
// BENCH_ALLOC_ADD=1: bytes the aggregator's Add allocates per observation kind (second of two runs, so tables are warm).
if (Environment.GetEnvironmentVariable("BENCH_ALLOC_ADD") == "1")
{
    for (int i = 0; i < 2; i++)
    {
        var s = new ScanStats();
        var probe = new AddAllocationSink(classifier.CreateAggregator());
        scanner.Scan(file, new DefaultAnalyzerFactory(probe, "bench"), s);
        if (i == 1) foreach (var (k, v) in probe.ByKind) Console.WriteLine($"{k,-22} n={v.Count} add={v.Bytes / (double)v.Count:F1} B/obs {v.Bytes / (double)s.Packets:F1} B/pkt");
    }
    return 0;
}
if (Environment.GetEnvironmentVariable("BENCH_FIELDS") == "1")
{
    var s = new ScanStats();
    var fs = new FieldSizeSink();
    scanner.Scan(file, new DefaultAnalyzerFactory(fs, "bench"), s);
    foreach (var (k, v) in fs.Sizes.OrderByDescending(kv => kv.Value).Take(25)) Console.WriteLine($"{k,-40} {v * 2.0 / s.Packets:F1} B/pkt(chars*2) n={fs.Counts[k]}");
    return 0;
}
Measure("decode", () => { var s = new ScanStats(); scanner.Scan(file, NullFactory.Instance, s); return s; });
Measure("analyze", () => { var s = new ScanStats(); scanner.Scan(file, new DefaultAnalyzerFactory(new CountingSink(s), "bench"), s); return s; });
Measure("match", () => { var s = new ScanStats(); scanner.Scan(file, new DefaultAnalyzerFactory(new MatchingSink(classifier.Rules, s), "bench"), s); return s; });
Measure("classify", () =>
{
    var s = new ScanStats();
    var aggregator = classifier.CreateAggregator();
    scanner.Scan(file, new DefaultAnalyzerFactory(new AggregatingSink(aggregator, s), "bench"), s);
    s.Flows = aggregator.Snapshot().Count; // findings, reported in the flows column's place below
    return s;
});
return 0;

void Measure(string stage, Func<ScanStats> run)
{
    run(); // warm-up: JIT and page cache
    var wall = new List<double>();
    var cpu = new List<double>();
    ScanStats last = new();
    for (int i = 0; i < runs; i++)
    {
        GC.Collect();
        var proc = Process.GetCurrentProcess();
        var cpu0 = proc.TotalProcessorTime;
        var sw = Stopwatch.StartNew();
        last = run();
        sw.Stop();
        proc.Refresh();
        wall.Add(sw.Elapsed.TotalSeconds);
        cpu.Add((proc.TotalProcessorTime - cpu0).TotalSeconds);
    }
    wall.Sort(); cpu.Sort();
    double w = wall[wall.Count / 2], c = cpu[cpu.Count / 2];
    var before = GC.GetTotalAllocatedBytes(true); run(); var allocated = GC.GetTotalAllocatedBytes(true) - before;
    Console.WriteLine($"{stage,-9} packets={last.Packets} obs={last.Observations} wall={w:F2}s cpu={c:F2}s pps_wall={last.Packets / w / 1e6:F2}M pps_cpu={last.Packets / c / 1e6:F2}M alloc={allocated / 1048576.0:F0}MiB ({(double)allocated / last.Packets:F0} B/packet)");
}

sealed class NullFactory : IAnalyzerFactory
{
    public static readonly NullFactory Instance = new();
    public ITcpStreamAnalyzer? CreateTcp(FlowEndpoints endpoints, bool fromInitiator, ReadOnlySpan<byte> firstPayload) => null;
    public IDatagramAnalyzer? ForUdp(int sourcePort, int destinationPort) => null;
}

sealed class CountingSink(ScanStats stats) : IObservationSink
{
    public void Emit(Observation observation) => stats.Observations++;
    public bool KeepsObservations => false;
}

sealed class MatchingSink(ShadowMcp.Classifier.Rules.RuleSet rules, ScanStats stats) : IObservationSink
{
    public void Emit(Observation observation) { stats.Observations++; stats.Flows += rules.Match(observation).Count; }
    public bool KeepsObservations => false;
}

sealed class AggregatingSink(FindingAggregator aggregator, ScanStats stats) : IObservationSink
{
    public void Emit(Observation observation) { stats.Observations++; aggregator.Add(observation); }
    public bool KeepsObservations => false;
}

/// <summary>Adds each observation to the aggregator and counts, per kind, the bytes that Add allocated on this thread.</summary>
sealed class AddAllocationSink(FindingAggregator aggregator) : IObservationSink
{
    public readonly Dictionary<string, (long Count, long Bytes)> ByKind = new();
    public void Emit(Observation observation)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        aggregator.Add(observation);
        var used = GC.GetAllocatedBytesForCurrentThread() - before;
        var k = observation.Kind;
        ByKind.TryGetValue(k, out var v);
        ByKind[k] = (v.Count + 1, v.Bytes + used);
    }
    public bool KeepsObservations => false;
}

sealed class FieldSizeSink : IObservationSink
{
    public readonly Dictionary<string, long> Sizes = new();
    public readonly Dictionary<string, long> Counts = new();
    private readonly HashSet<string> _seen = new(ReferenceEqualityComparer.Instance);
    public void Emit(Observation o)
    {
        foreach (var kv in o.Fields.AsSpan())
        {
            if (string.IsInterned(kv.Value) is not null || !_seen.Add(kv.Value)) continue;
            var k = o.Kind + " " + kv.Key;
            Sizes[k] = Sizes.GetValueOrDefault(k) + kv.Value.Length + 11;
            Counts[k] = Counts.GetValueOrDefault(k) + 1;
        }
    }
    public bool KeepsObservations => false;
}
