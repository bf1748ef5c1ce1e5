using System.Text;
using ShadowMcp.Core.Text;
using ShadowMcp.Scanner.Analysis;
using ShadowMcp.Scanner.Buffers;

namespace ShadowMcp.Scanner.Sse;

/// <summary>
/// Incremental Server-Sent Events framing (WHATWG HTML 9.2.6) over a de-chunked body: lines end with CRLF, LF or
/// CR; <c>data</c> lines are joined with \n; comment lines (':') are ignored; a blank line dispatches the event
/// at once, so long-lived streams yield events as they arrive. Events larger than the limit are dropped and counted.
/// A line cut by a segment boundary and the data of the event in progress live in pooled arrays until dispatched.
/// </summary>
internal sealed class SseFramer(int maxEventBytes, ISseEventSink sink, AnalyzerCounters counters)
{
    private static ReadOnlySpan<byte> Bom => [0xEF, 0xBB, 0xBF];

    private byte[] _line = [];
    private int _lineLength;
    private bool _lineOverflow;
    private bool _skipLf;
    private bool _firstLine = true;

    private byte[] _data = [];

    /// <summary>Bytes the framer holds on the heap (line and event data), for the flow memory budget.</summary>
    public int HeldBytes => _line.Length + _data.Length + _id.Length + _retry.Length;
    private int _dataLength;
    private string? _eventType;
    // The event's last id and retry values, as bytes until the event is dispatched: a peer may send a million id
    // lines in one event, and a string per line cost 4.8 bytes allocated per byte received.
    private byte[] _id = [], _retry = [];
    private int _idLength = -1, _retryLength = -1;
    private bool _oversize;
    private bool _discarding;

    public void Feed(ReadOnlySpan<byte> data, DateTime time)
    {
        while (!data.IsEmpty)
        {
            if (_skipLf)
            {
                _skipLf = false;
                if (data[0] == (byte)'\n') { data = data[1..]; continue; }
            }
            int end = data.IndexOfAny((byte)'\r', (byte)'\n');
            if (end < 0)
            {
                AppendPartial(data);
                return;
            }
            bool overflow;
            ReadOnlySpan<byte> line;
            if (_lineLength > 0 || _lineOverflow)
            {
                AppendPartial(data[..end]);
                line = _line.AsSpan(0, _lineLength);
                overflow = _lineOverflow;
            }
            else
            {
                line = data[..end];
                overflow = line.Length > maxEventBytes;
            }
            if (data[end] == (byte)'\r')
            {
                if (end + 1 == data.Length) _skipLf = true;
                else if (data[end + 1] == (byte)'\n') end++;
            }
            data = data[(end + 1)..];
            ProcessLine(line, overflow, time);
            ClearLine();
        }
    }

    // A completed line's bytes are not needed again: a cut line borrowed them from the pool.
    private void ClearLine()
    {
        _lineLength = 0;
        _lineOverflow = false;
        PooledBytes.Release(ref _line);
    }

    /// <summary>Bytes were lost: the event in progress is unreliable, so skip to the next blank line.</summary>
    public void OnGap()
    {
        ClearLine();
        _skipLf = false;
        ResetEvent();
        _discarding = true;
    }

    /// <summary>
    /// The stream ended; an event without its blank line is discarded (as browsers do). The framer is then ready
    /// for the next event stream on the same connection.
    /// </summary>
    public void End()
    {
        ClearLine();
        _skipLf = false;
        _discarding = false;
        _firstLine = true;
        ResetEvent();
    }

    private void ProcessLine(ReadOnlySpan<byte> line, bool overflow, DateTime time)
    {
        if (_firstLine)
        {
            _firstLine = false;
            if (line.StartsWith(Bom)) line = line[Bom.Length..];
        }
        if (line.IsEmpty && !overflow)
        {
            Dispatch(time);
            return;
        }
        if (_discarding) return;
        if (overflow) { _oversize = true; return; }
        if (line[0] == (byte)':') return;

        int colon = line.IndexOf((byte)':');
        var name = colon < 0 ? line : line[..colon];
        var value = colon < 0 ? default : line[(colon + 1)..];
        if (!value.IsEmpty && value[0] == (byte)' ') value = value[1..];

        if (name.SequenceEqual("data"u8)) AppendData(value);
        else if (name.SequenceEqual("event"u8)) _eventType = StringCache.FromUtf8(value); // a few names, repeated per event
        else if (name.SequenceEqual("id"u8)) { if (!value.Contains((byte)0)) Keep(ref _id, ref _idLength, value); }
        else if (name.SequenceEqual("retry"u8))
        {
            if (!value.IsEmpty && value.IndexOfAnyExceptInRange((byte)'0', (byte)'9') < 0) Keep(ref _retry, ref _retryLength, value);
        }
    }

    private void AppendData(ReadOnlySpan<byte> value)
    {
        if (_oversize) return;
        int needed = _dataLength + value.Length + 1;
        if (needed > maxEventBytes)
        {
            _oversize = true;
            return;
        }
        if (needed > _data.Length) PooledBytes.Grow(ref _data, _dataLength, Math.Min(maxEventBytes, Math.Max(needed, Math.Max(256, _data.Length * 2))));
        value.CopyTo(_data.AsSpan(_dataLength));
        _dataLength += value.Length;
        _data[_dataLength++] = (byte)'\n';
    }

    private void Dispatch(DateTime time)
    {
        if (_discarding) _discarding = false;
        else if (_oversize) counters.SseEventsDropped++;
        else if (_dataLength > 0)
            sink.OnEvent(string.IsNullOrEmpty(_eventType) ? "message" : _eventType, _data.AsSpan(0, _dataLength - 1),
                _idLength < 0 ? null : Encoding.UTF8.GetString(_id, 0, _idLength),
                _retryLength < 0 ? null : Encoding.ASCII.GetString(_retry, 0, _retryLength), time);
        ResetEvent();
    }

    private void ResetEvent()
    {
        _dataLength = 0;
        _eventType = null;
        _idLength = _retryLength = -1;
        _oversize = false;
        PooledBytes.Release(ref _data);
        PooledBytes.Release(ref _id);
        PooledBytes.Release(ref _retry);
    }

    /// <summary>Replaces a kept field value (id, retry) with <paramref name="value"/>; the line is within the event limit.</summary>
    private static void Keep(ref byte[] buffer, ref int length, ReadOnlySpan<byte> value)
    {
        if (value.Length > buffer.Length) PooledBytes.Grow(ref buffer, 0, Math.Max(value.Length, 32));
        value.CopyTo(buffer);
        length = value.Length;
    }

    private void AppendPartial(ReadOnlySpan<byte> bytes)
    {
        if (_lineOverflow) return;
        int needed = _lineLength + bytes.Length;
        if (needed > maxEventBytes)
        {
            _lineOverflow = true;
            return;
        }
        if (needed > _line.Length) PooledBytes.Grow(ref _line, _lineLength, Math.Min(maxEventBytes, Math.Max(needed, Math.Max(128, _line.Length * 2))));
        bytes.CopyTo(_line.AsSpan(_lineLength));
        _lineLength = needed;
    }
}
