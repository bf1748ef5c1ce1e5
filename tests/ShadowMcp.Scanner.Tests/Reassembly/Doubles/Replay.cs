using ShadowMcp.Core.Observations;
using ShadowMcp.Scanner.Capture;
using ShadowMcp.Scanner.Reassembly;
using ShadowMcp.Scanner.Sessions;

namespace ShadowMcp.Scanner.Tests.Reassembly.Doubles;

/// <summary>Feeds Ethernet frames straight into a <see cref="PacketProcessor"/>, one millisecond apart.</summary>
internal sealed class Replay
{
    public static readonly DateTime Start = new(2025, 6, 1, 12, 0, 0, DateTimeKind.Utc);

    private readonly PacketProcessor _processor;

    public Replay(IAnalyzerFactory factory, ReassemblyOptions? options = null) => _processor = new PacketProcessor(factory, Stats, options);

    public ScanStats Stats { get; } = new();
    public DateTime Now { get; private set; } = Start;
    public int FlowCount => _processor.FlowCount;

    public Replay Feed(params byte[][] frames)
    {
        foreach (var frame in frames)
        {
            Now = Now.AddMilliseconds(1);
            _processor.OnFrame(frame, LinkTypes.Ethernet, Now);
        }

        return this;
    }

    public Replay At(DateTime time, params byte[][] frames)
    {
        foreach (var frame in frames)
        {
            Now = time;
            _processor.OnFrame(frame, LinkTypes.Ethernet, Now);
        }

        return this;
    }

    public void Finish() => _processor.Finish();
}
