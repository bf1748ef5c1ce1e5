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
//   sharded  = classify on two workers, rules matched on them and findings added in one-thread order (`--threads 2`)
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
        "sharded" => () => ShardedClassify(2),
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
// BENCH_RULE_COST=1: time spent per rule over the second of two runs (timestamps around each rule, so relative only).
if (Environment.GetEnvironmentVariable("BENCH_RULE_COST") == "1")
{
    RuleCostSink probe = new(classifier.Rules);
    for (int i = 0; i < 2; i++)
    {
        probe = new RuleCostSink(classifier.Rules);
        scanner.Scan(file, new DefaultAnalyzerFactory(probe, "bench"), new ScanStats());
    }
    probe.Print();
    return 0;
}
// BENCH_RULE_INDEX=1: the rules alone over the file's observations held in memory, each rule's condition evaluated
// (as before the field index) against the kind index that skips rules missing a needed field; rounds alternate in
// one process, so machine load hits both alike.
if (Environment.GetEnvironmentVariable("BENCH_RULE_INDEX") == "1")
{
    var held = new HoldingSink();
    scanner.Scan(file, new DefaultAnalyzerFactory(held, "bench"), new ScanStats());
    var all = held.Observations;
    long EveryRule()
    {
        long n = 0;
        foreach (var o in all)
            foreach (var rule in classifier.Rules.For(o.Kind).Rules)
                if (rule.ConditionHolds(o)) n++;
        return n;
    }
    long Indexed()
    {
        long n = 0;
        foreach (var o in all)
        {
            var index = classifier.Rules.For(o.Kind);
            var present = index.Present(o);
            for (var r = 0; r < index.Rules.Length; r++)
                if (index.Holds(r, present, o)) n++;
        }
        return n;
    }
    var times = new Dictionary<string, List<double>> { ["every rule"] = [], ["field index"] = [] };
    for (var round = 0; round < 7; round++)
    {
        foreach (var (name, f) in new (string, Func<long>)[] { ("every rule", EveryRule), ("field index", Indexed) })
        {
            var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
            var hits = f();
            var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalSeconds;
            if (round > 0) times[name].Add(cpu); // round 0 warms up
            if (round == 6) Console.WriteLine($"{name,-12} hits={hits} observations={all.Count} median cpu={times[name].Order().ElementAt(3):F3}s ({times[name].Order().ElementAt(3) * 1e9 / all.Count:F0} ns/observation)");
        }
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
Measure("sharded", () => ShardedClassify(2));
return 0;

// What `scan --threads N` does with a file (rules matched on the workers, findings added in one-thread order).
ScanStats ShardedClassify(int threads)
{
    var s = new ScanStats();
    var aggregator = classifier.CreateAggregator();
    var plan = new ShadowMcp.Scanner.Sharding.ShardPlan
    {
        Prepare = aggregator.MatchRules,
        ReplayKeepsObservations = false,
        CreateWorker = recorder => new ShadowMcp.Scanner.Sharding.ShardWorkerSetup(new DefaultAnalyzerFactory(recorder, "bench")),
        Replay = e => { s.Observations++; aggregator.Add((Observation)e.Item, (ShadowMcp.Classifier.Rules.MatchedRules)e.Prepared!); },
    };
    new ShadowMcp.Scanner.Sharding.ShardedCaptureScanner(threads).Scan(file, plan, s);
    return s;
}

void Measure(string stage, Func<ScanStats> run)
{
    // BENCH_ONLY=STAGE measures one stage (for a profiler attached to the whole process).
    if (Environment.GetEnvironmentVariable("BENCH_ONLY") is { Length: > 0 } only && only != stage) return;
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

/// <summary>Per rule: observations tried, hits, and the time its condition took (Stopwatch ticks, relative).</summary>
sealed class RuleCostSink(ShadowMcp.Classifier.Rules.RuleSet rules) : IObservationSink
{
    private readonly Dictionary<ShadowMcp.Classifier.Rules.Rule, (long Tried, long Hits, long Ticks)> _cost = new();
    private readonly Dictionary<string, (long Count, long Fields)> _kinds = new();
    public void Emit(Observation o)
    {
        _kinds.TryGetValue(o.Kind, out var k);
        _kinds[o.Kind] = (k.Count + 1, k.Fields + o.Fields.Count);
        foreach (var rule in rules.RulesFor(o.Kind))
        {
            var t0 = Stopwatch.GetTimestamp();
            var hit = rule.Matches(o);
            var t = Stopwatch.GetTimestamp() - t0;
            _cost.TryGetValue(rule, out var c);
            _cost[rule] = (c.Tried + 1, c.Hits + (hit ? 1 : 0), c.Ticks + t);
        }
    }
    public bool KeepsObservations => false;
    public void Print()
    {
        foreach (var (kind, v) in _kinds.OrderByDescending(kv => kv.Value.Count)) Console.WriteLine($"{kind,-22} n={v.Count} fields/obs={v.Fields / (double)v.Count:F1} rules={rules.RulesFor(kind).Count}");
        foreach (var (rule, v) in _cost.OrderByDescending(kv => kv.Value.Ticks))
            Console.WriteLine($"{rule.Id,-40} tried={v.Tried} hits={v.Hits} ms={v.Ticks * 1000.0 / Stopwatch.Frequency:F0} ns/try={v.Ticks * 1e9 / Stopwatch.Frequency / Math.Max(1, v.Tried):F0}");
    }
}

sealed class HoldingSink : IObservationSink
{
    public readonly List<Observation> Observations = new();
    public void Emit(Observation observation) => Observations.Add(observation);
    public bool KeepsObservations => true;
}
