using System.Text;
using ShadowMcp.Scanner.Sessions;

namespace ShadowMcp.Scanner.Tests.Reassembly.Doubles;

/// <summary>A test sink: records the bytes, gaps and close the reassembler delivers for one connection.</summary>
internal sealed class RecordingAnalyzer(FlowEndpoints endpoints, bool firstFromInitiator) : ITcpStreamAnalyzer
{
    private readonly MemoryStream _fromInitiator = new();
    private readonly MemoryStream _fromResponder = new();

    public FlowEndpoints Endpoints { get; } = endpoints;
    public bool FirstFromInitiator { get; } = firstFromInitiator;

    /// <summary>Each call in order: "data>:abc", "data<:xyz", "gap>:5", "close".</summary>
    public List<string> Events { get; } = [];

    public long GapFromInitiator { get; private set; }
    public long GapFromResponder { get; private set; }
    public int CloseCount { get; private set; }
    public DateTime? ClosedAt { get; private set; }

    /// <summary>Stop asking for data after this many bytes in total (null: never).</summary>
    public int? WantBytes { get; init; }

    public string InitiatorText => Encoding.ASCII.GetString(_fromInitiator.ToArray());
    public string ResponderText => Encoding.ASCII.GetString(_fromResponder.ToArray());
    public byte[] InitiatorBytes => _fromInitiator.ToArray();
    public byte[] ResponderBytes => _fromResponder.ToArray();

    public bool WantsMoreData => WantBytes is not { } limit || _fromInitiator.Length + _fromResponder.Length < limit;

    public void OnData(bool fromInitiator, ReadOnlySpan<byte> data, DateTime time)
    {
        if (CloseCount > 0) throw new InvalidOperationException("data after close");
        (fromInitiator ? _fromInitiator : _fromResponder).Write(data);
        Events.Add($"data{(fromInitiator ? '>' : '<')}:{Encoding.ASCII.GetString(data)}");
    }

    public void OnGap(bool fromInitiator, long missingBytes, DateTime time)
    {
        if (CloseCount > 0) throw new InvalidOperationException("gap after close");
        if (fromInitiator) GapFromInitiator += missingBytes;
        else GapFromResponder += missingBytes;
        Events.Add($"gap{(fromInitiator ? '>' : '<')}:{missingBytes}");
    }

    public void OnClose(DateTime time)
    {
        CloseCount++;
        ClosedAt = time;
        Events.Add("close");
    }
}
