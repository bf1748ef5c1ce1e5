using System.Text;
using ShadowMcp.Core.Observations;
using ShadowMcp.Scanner.Analysis;
using ShadowMcp.Scanner.Sessions;

namespace ShadowMcp.Scanner.Tests.Analysis;

/// <summary>One payload of a conversation: which way it travels and its bytes.</summary>
internal sealed record Segment(bool FromInitiator, byte[] Data)
{
    public static Segment Client(string text) => new(true, Encoding.UTF8.GetBytes(text));
    public static Segment Server(string text) => new(false, Encoding.UTF8.GetBytes(text));
    public static Segment Client(byte[] data) => new(true, data);
    public static Segment Server(byte[] data) => new(false, data);
}

/// <summary>
/// Drives a TCP analyzer chosen by <see cref="DefaultAnalyzerFactory"/> (sniffing the first segment as the
/// reassembler would) and delivers the segments whole, split at a point, or one byte per call.
/// </summary>
internal sealed class StreamHarness
{
    public static readonly DateTime T0 = new(2026, 1, 5, 10, 0, 0, DateTimeKind.Utc);

    public static FlowEndpoints HttpFlow() => new("10.0.0.7", 51000, "10.0.0.5", 8123, "tcp");

    public ObservationList Sink { get; } = new();
    public DefaultAnalyzerFactory Factory { get; }
    public FlowEndpoints Endpoints { get; }
    public ITcpStreamAnalyzer? Analyzer { get; private set; }

    public StreamHarness(FlowEndpoints? endpoints = null, AnalyzerOptions? options = null)
    {
        Endpoints = endpoints ?? HttpFlow();
        Factory = new DefaultAnalyzerFactory(Sink, "test.pcap", options);
    }

    public List<Observation> Observations => Sink.Items;

    /// <summary>Feeds each segment in one call, then closes the connection unless told not to.</summary>
    public StreamHarness Run(IEnumerable<Segment> segments, bool close = true) => Run(segments, (_, data) => [data], close);

    /// <summary>Feeds every segment one byte per call.</summary>
    public StreamHarness RunBytewise(IEnumerable<Segment> segments, bool close = true) =>
        Run(segments, (_, data) => data.Select(b => new[] { b }).ToArray(), close);

    /// <summary>Splits segment number <paramref name="segmentIndex"/> at <paramref name="at"/>; others go whole.</summary>
    public StreamHarness RunSplit(IEnumerable<Segment> segments, int segmentIndex, int at, bool close = true) =>
        Run(segments, (i, data) => i == segmentIndex ? [data[..at], data[at..]] : [data], close);

    public void Feed(Segment segment, DateTime? time = null)
    {
        Analyzer ??= Factory.CreateTcp(Endpoints, segment.FromInitiator, segment.Data);
        Analyzer?.OnData(segment.FromInitiator, segment.Data, time ?? T0);
    }

    private StreamHarness Run(IEnumerable<Segment> segments, Func<int, byte[], byte[][]> split, bool close)
    {
        int index = 0;
        foreach (var segment in segments)
        {
            Analyzer ??= Factory.CreateTcp(Endpoints, segment.FromInitiator, segment.Data);
            foreach (var piece in split(index, segment.Data))
                Analyzer?.OnData(segment.FromInitiator, piece, T0.AddMilliseconds(index));
            index++;
        }
        if (close) Analyzer?.OnClose(T0.AddSeconds(1));
        return this;
    }

    /// <summary>Observations as comparable text lines (kind, flow, fields; not time).</summary>
    public static List<string> Render(IEnumerable<Observation> observations) =>
        observations.Select(o => $"{o.Kind} {o.Flow.Key} {o.Fields}").ToList();

    public Observation Single(string kind) => Observations.Single(o => o.Kind == kind);

    public List<string> Kinds => Observations.Select(o => o.Kind).ToList();
}
