using System.Collections.Concurrent;
using System.Diagnostics.Tracing;

/// <summary>
/// With BENCH_ALLOC_TYPES=STAGE: which types a stage allocates, from the runtime's sampled AllocationTick
/// events (one per ~100 KB allocated), so a change to the hot path can be aimed at its largest allocations.
/// </summary>
internal sealed class AllocationTypes : EventListener
{
    private const EventKeywords GcKeyword = (EventKeywords)0x1;
    private readonly ConcurrentDictionary<string, long> _bytes = new();

    protected override void OnEventSourceCreated(EventSource source)
    {
        if (source.Name == "Microsoft-Windows-DotNETRuntime") EnableEvents(source, EventLevel.Verbose, GcKeyword);
    }

    protected override void OnEventWritten(EventWrittenEventArgs e)
    {
        if (e.EventName is not { } name || !name.StartsWith("GCAllocationTick", StringComparison.Ordinal) || e.Payload is null) return;
        var type = e.PayloadNames!.IndexOf("TypeName") is var t and >= 0 ? e.Payload[t] as string ?? "?" : "?";
        var amount = e.PayloadNames.IndexOf("AllocationAmount64") is var a and >= 0 ? Convert.ToInt64(e.Payload[a]) : 0;
        _bytes.AddOrUpdate(type, amount, (_, v) => v + amount);
    }

    public void Print(long packets)
    {
        foreach (var (type, bytes) in _bytes.OrderByDescending(kv => kv.Value).Take(30))
            Console.WriteLine($"  {bytes / (double)packets,8:F0} B/packet  {type}");
    }
}
