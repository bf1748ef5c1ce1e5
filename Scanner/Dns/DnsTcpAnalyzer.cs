using System.Buffers.Binary;
using ShadowMcp.Scanner.Analysis;
using ShadowMcp.Scanner.Sessions;

namespace ShadowMcp.Scanner.Dns;

/// <summary>
/// DNS over TCP (RFC 1035 4.2.2): each message is preceded by a two-byte length. Whole messages in a segment are
/// parsed in place; only a message split across segments is copied (at most 64 KiB per direction).
/// A gap loses the framing, so that direction stops.
/// </summary>
internal sealed class DnsTcpAnalyzer(FlowEndpoints endpoints, ObservationEmitter emitter) : ITcpStreamAnalyzer
{
    private readonly Direction _fromInitiator = new();
    private readonly Direction _fromResponder = new();

    public bool WantsMoreData => !(_fromInitiator.Stopped && _fromResponder.Stopped);

    public void OnData(bool fromInitiator, ReadOnlySpan<byte> data, DateTime time)
    {
        var direction = fromInitiator ? _fromInitiator : _fromResponder;
        if (direction.Stopped) return;
        while (!data.IsEmpty)
        {
            if (direction.Buffered == 0 && data.Length >= 2)
            {
                int length = BinaryPrimitives.ReadUInt16BigEndian(data);
                if (data.Length >= 2 + length)
                {
                    DnsObservations.Emit(emitter, endpoints, fromInitiator, data.Slice(2, length), time);
                    data = data[(2 + length)..];
                    continue;
                }
            }
            data = direction.Append(data);
            if (direction.TryTakeMessage(out var message))
                DnsObservations.Emit(emitter, endpoints, fromInitiator, message, time);
        }
    }

    public void OnGap(bool fromInitiator, long missingBytes, DateTime time) =>
        (fromInitiator ? _fromInitiator : _fromResponder).Stopped = true;

    public void OnClose(DateTime time)
    {
        _fromInitiator.Stopped = true;
        _fromResponder.Stopped = true;
    }

    /// <summary>One direction's partial message: its length prefix and the bytes so far.</summary>
    private sealed class Direction
    {
        private byte[] _buffer = [];
        private int _message = -1;

        public bool Stopped { get; set; }
        public int Buffered { get; private set; }

        /// <summary>Copies bytes up to the end of the current message; returns the rest.</summary>
        public ReadOnlySpan<byte> Append(ReadOnlySpan<byte> data)
        {
            int wanted = _message < 0 ? 2 : 2 + _message;
            int take = Math.Min(wanted - Buffered, data.Length);
            if (Buffered + take > _buffer.Length) Array.Resize(ref _buffer, Math.Max(wanted, 64));
            data[..take].CopyTo(_buffer.AsSpan(Buffered));
            Buffered += take;
            if (_message < 0 && Buffered >= 2) _message = BinaryPrimitives.ReadUInt16BigEndian(_buffer);
            return data[take..];
        }

        public bool TryTakeMessage(out ReadOnlySpan<byte> message)
        {
            message = default;
            if (_message < 0 || Buffered < 2 + _message) return false;
            message = _buffer.AsSpan(2, _message);
            Buffered = 0;
            _message = -1;
            return true;
        }
    }
}
