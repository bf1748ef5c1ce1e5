using System.IO.Compression;
using ShadowMcp.Scanner.Analysis;
using ShadowMcp.Scanner.Buffers;

namespace ShadowMcp.Scanner.Http;

/// <summary>
/// Decodes a gzip, deflate or Brotli body as it arrives, so JSON and event streams are read as the endpoint
/// sees them. Bounded against decompression bombs: decoding stops (and is counted) when the output passes the
/// absolute cap or, past a first window, the ratio of output to input; it also stops, uncounted, once the sink
/// has what it keeps. Corrupt input stops decoding and is counted. One instance per direction, reused.
/// </summary>
internal sealed class BodyDecompressor(AnalyzerOptions options, AnalyzerCounters counters)
{
    /// <summary>Output below this is never judged by ratio: small bodies compress very well legitimately.</summary>
    private const int RatioWindow = 32 * 1024;

    private readonly PendingInput _input = new();
    private byte[] _output = [];
    private Stream? _decoder;
    private ContentCoding _coding;
    private long _encoded, _decoded;

    public bool Active { get; private set; }

    public void Start(ContentCoding coding)
    {
        End();
        _coding = coding;
        _encoded = _decoded = 0;
        Active = true;
    }

    public void Feed(ReadOnlySpan<byte> data, IDecodedBodySink sink, DateTime time)
    {
        if (!Active) return;
        _encoded += data.Length;
        _input.Push(data);
        _decoder ??= Create();
        if (_decoder is null) return;
        PooledBytes.Grow(ref _output, 0, 16 * 1024);
        try
        {
            while (true)
            {
                int n = _decoder.Read(_output);
                if (n == 0) return;
                _decoded += n;
                sink.OnDecoded(_output.AsSpan(0, n), time);
                if (_decoded > options.MaxDecodedBodyBytes
                    || (_decoded >= RatioWindow && _decoded > Consumed * options.MaxDecompressionRatio))
                {
                    counters.DecompressionBombs++;
                    End();
                    return;
                }
                if (sink.Full)
                {
                    End();
                    return;
                }
            }
        }
        catch (InvalidDataException)
        {
            counters.CompressedBodiesCorrupt++;
            End();
        }
        catch (IOException)
        {
            // The zlib inflater reports some corrupt streams as ZLibException, an IOException (found by fuzzing);
            // the input is in memory, so no other IOException can come from it.
            counters.CompressedBodiesCorrupt++;
            End();
        }
        catch (InvalidOperationException) when (_decoder is BrotliStream)
        {
            // BrotliStream reports corrupt input as "Decoder ran into invalid data" (found by fuzzing), not as
            // InvalidDataException like the zlib family.
            counters.CompressedBodiesCorrupt++;
            End();
        }
    }

    /// <summary>Input the decoder has taken, to within one small read.</summary>
    private long Consumed => Math.Max(1, _encoded - _input.Available);

    /// <summary>Heap bytes of the output and pending-input buffers, for the flow memory budget.</summary>
    public int HeldBytes => _output.Length + _input.HeldBytes;

    /// <summary>
    /// The message ended or was cut: frees the decoder's native state and gives its buffers back to the pool, so an
    /// assembler kept for a later message (an ended HTTP/2 stream's, refilled) holds nothing for it.
    /// </summary>
    public void End()
    {
        Active = false;
        _decoder?.Dispose();
        _decoder = null;
        _input.Clear();
        PooledBytes.Release(ref _output);
    }

    private Stream? Create() => _coding switch
    {
        ContentCoding.Gzip => new GZipStream(_input, CompressionMode.Decompress, leaveOpen: true),
        ContentCoding.Brotli => new BrotliStream(_input, CompressionMode.Decompress, leaveOpen: true),
        ContentCoding.Deflate when _input.Available >= 2 => IsZlibHeader(_input.Peek)
            ? new ZLibStream(_input, CompressionMode.Decompress, leaveOpen: true)
            : new DeflateStream(_input, CompressionMode.Decompress, leaveOpen: true),
        _ => null,
    };

    /// <summary>RFC 1950: method 8 (deflate), window at most 32 KiB, header checksum a multiple of 31.</summary>
    private static bool IsZlibHeader(ReadOnlySpan<byte> first) =>
        (first[0] & 0x0F) == 8 && (first[0] >> 4) <= 7 && ((first[0] << 8) | first[1]) % 31 == 0;
}
