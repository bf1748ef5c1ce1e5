using System.Text;
using CsCheck;
using ShadowMcp.Scanner.Analysis;
using ShadowMcp.Scanner.Sse;
using ShadowMcp.Scanner.Tests.Properties;

namespace ShadowMcp.Scanner.Tests.Http;

/// <summary>
/// Events written as an event stream (any mix of CRLF, LF and CR line ends, comments, optional space after the
/// colon) and cut into any segments come out of <see cref="SseFramer"/> as the same events, in order.
/// </summary>
public class SsePropertyTests
{
    private static readonly string[] LineEnds = ["\r\n", "\n", "\r"];

    private static readonly Gen<string?> Token = Gen.Frequency(
        (1, Gen.Const((string?)null)),
        (1, Gen.Char["abcdefghijklmnopqrstuvwxyz-_./0123456789"].Array[1, 20].Select(c => (string?)new string(c))));

    /// <summary>Data line bytes: anything but CR and LF.</summary>
    private static readonly Gen<byte[]> DataLine =
        Gen.Byte.Where(b => b is not ((byte)'\r' or (byte)'\n')).Array[0, 120];

    private static readonly Gen<(string? Type, string? Id, byte[][] Lines, bool Comment)> Event =
        Gen.Select(Token, Token, DataLine.Array[1, 4], Gen.Bool);

    [Test]
    public void Events_AnyLineEndsAndSegments_ComeOutTheSame()
    {
        var gen = Gen.Select(Event.Array[0, 10], Gen.Int[0, int.MaxValue].Array[64], Splits.Cuts);
        gen.Sample((events, choices, cuts) =>
        {
            var wire = Write(events, choices);
            var sink = new EventList();
            var framer = new SseFramer(1 << 20, sink, new AnalyzerCounters());
            foreach (var segment in Splits.Apply(wire, cuts)) framer.Feed(segment, DateTime.UnixEpoch);

            var expected = events.Select(e =>
                Show(e.Type ?? "message", e.Lines.Aggregate((a, b) => [.. a, (byte)'\n', .. b]), e.Id));
            Assert.That(sink.Events, Is.EqualTo(expected.ToList()));
        }, iter: Splits.Iterations, threads: 1);
    }

    private static byte[] Write((string? Type, string? Id, byte[][] Lines, bool Comment)[] events, int[] choices)
    {
        var wire = new List<byte>();
        int next = 0;
        string lastEnd = "\n";
        void Line(byte[] bytes, bool blank = false)
        {
            string end = LineEnds[choices[next++ % choices.Length] % LineEnds.Length];
            // A blank line ended by LF right after a CR would read as one CRLF, swallowing the dispatch.
            if (blank && lastEnd == "\r" && end == "\n") end = "\r";
            wire.AddRange(bytes);
            wire.AddRange(Encoding.ASCII.GetBytes(end));
            lastEnd = end;
        }
        foreach (var (type, id, lines, comment) in events)
        {
            bool space = choices[next++ % choices.Length] % 2 == 0;
            if (comment) Line(": keep-alive"u8.ToArray());
            if (type is not null) Line(Encoding.ASCII.GetBytes("event:" + (space ? " " : "") + type));
            if (id is not null) Line(Encoding.ASCII.GetBytes("id:" + (space ? " " : "") + id));
            // A value starting with a space would lose it to the optional space, so one is always written then.
            foreach (var data in lines) Line([.. "data:"u8, .. space || data is [(byte)' ', ..] ? " "u8 : [], .. data]);
            Line([], blank: true);
        }
        return wire.ToArray();
    }

    private static string Show(string type, ReadOnlySpan<byte> data, string? id) =>
        $"{type}|{id}|{Convert.ToHexString(data)}";

    private sealed class EventList : ISseEventSink
    {
        public List<string> Events { get; } = [];

        public void OnEvent(string eventType, ReadOnlySpan<byte> data, string? id, string? retry, DateTime time) =>
            Events.Add(Show(eventType, data, id));
    }
}
