namespace ShadowMcp.Scanner.Http;

/// <summary>
/// Incremental decoder for <c>Transfer-Encoding: chunked</c> (RFC 9112 7.1): chunk sizes in hex, chunk extensions
/// (skipped, bounded), data, trailers (skipped, bounded). Works on any split of the input; never copies data.
/// </summary>
internal sealed class ChunkedBodyDecoder(int maxLineBytes, int maxTrailerBytes)
{
    private enum State { Size, Extension, SizeLf, Data, DataCr, DataLf, Trailer, Done }

    // 15 hex digits keep the size below 2^60: no overflow, and far beyond any real chunk.
    private const int MaxSizeDigits = 15;

    private State _state;
    private long _size;
    private int _digits;
    private int _lineBytes;
    private int _trailerBytes;
    private long _remaining;

    public void Reset()
    {
        _state = State.Size;
        _size = 0;
        _digits = 0;
        _lineBytes = 0;
        _trailerBytes = 0;
        _remaining = 0;
    }

    public ChunkStep Read(ref ReadOnlySpan<byte> input, out ReadOnlySpan<byte> payload, out HttpRejectionReason reason)
    {
        payload = default;
        reason = HttpRejectionReason.None;
        while (!input.IsEmpty)
        {
            if (_state == State.Data)
            {
                int take = (int)Math.Min(_remaining, input.Length);
                payload = input[..take];
                input = input[take..];
                _remaining -= take;
                if (_remaining == 0) _state = State.DataCr;
                return ChunkStep.Payload;
            }

            byte b = input[0];
            input = input[1..];
            switch (_state)
            {
                case State.Size:
                    int digit = HexValue(b);
                    if (digit >= 0)
                    {
                        if (++_digits > MaxSizeDigits) return Reject(HttpRejectionReason.BadChunkSizeData, out reason);
                        _size = _size * 16 + digit;
                    }
                    else if (_digits == 0) return Reject(HttpRejectionReason.BadChunkSizeData, out reason);
                    else if (b is (byte)';' or (byte)' ' or (byte)'\t') { _state = State.Extension; _lineBytes = 0; }
                    else if (b == (byte)'\r') _state = State.SizeLf;
                    else if (b == (byte)'\n') EndSizeLine();
                    else return Reject(HttpRejectionReason.BadChunkSizeData, out reason);
                    break;
                case State.Extension:
                    if (b == (byte)'\n') EndSizeLine();
                    else if (++_lineBytes > maxLineBytes) return Reject(HttpRejectionReason.ChunkExtensionTooLong, out reason);
                    break;
                case State.SizeLf:
                    if (b != (byte)'\n') return Reject(HttpRejectionReason.BadChunkSizeData, out reason);
                    EndSizeLine();
                    break;
                case State.DataCr:
                    if (b == (byte)'\r') _state = State.DataLf;
                    else if (b == (byte)'\n') StartSize();
                    else return Reject(HttpRejectionReason.BadChunkSuffix, out reason);
                    break;
                case State.DataLf:
                    if (b != (byte)'\n') return Reject(HttpRejectionReason.BadChunkSuffix, out reason);
                    StartSize();
                    break;
                case State.Trailer:
                    if (++_trailerBytes > maxTrailerBytes) return Reject(HttpRejectionReason.TrailersTooLarge, out reason);
                    if (b == (byte)'\n')
                    {
                        if (_lineBytes == 0) { _state = State.Done; return ChunkStep.Done; }
                        _lineBytes = 0;
                    }
                    else if (b != (byte)'\r' && ++_lineBytes > maxLineBytes)
                        return Reject(HttpRejectionReason.TrailersTooLarge, out reason);
                    break;
                case State.Done:
                    return ChunkStep.Done;
            }
        }
        return _state == State.Done ? ChunkStep.Done : ChunkStep.NeedMore;
    }

    private void EndSizeLine()
    {
        if (_size == 0)
        {
            _state = State.Trailer;
            _lineBytes = 0;
            return;
        }
        _remaining = _size;
        _state = State.Data;
    }

    private void StartSize()
    {
        _state = State.Size;
        _size = 0;
        _digits = 0;
    }

    private static ChunkStep Reject(HttpRejectionReason why, out HttpRejectionReason reason)
    {
        reason = why;
        return ChunkStep.Rejected;
    }

    private static int HexValue(byte b) => b switch
    {
        >= (byte)'0' and <= (byte)'9' => b - '0',
        >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
        _ => -1,
    };
}
