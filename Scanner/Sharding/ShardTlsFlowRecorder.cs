using ShadowMcp.Scanner.Tls;

namespace ShadowMcp.Scanner.Sharding;

/// <summary>A shard's TLS summary sink: records each summary so the merger hands it on in one-thread order.</summary>
public sealed class ShardTlsFlowRecorder(ShardRecorder recorder) : ITlsFlowSink
{
    /// <summary>The <see cref="ShardEvent.Prepared"/> mark of a started connection's summary.</summary>
    public static readonly object Started = new();

    /// <summary>The <see cref="ShardEvent.Prepared"/> mark of an ended connection's summary.</summary>
    public static readonly object Ended = new();

    public void OnTlsFlowStarted(TlsFlowSummary summary) => recorder.Record(summary, Started);

    public void OnTlsFlow(TlsFlowSummary summary) => recorder.Record(summary, Ended);
}
