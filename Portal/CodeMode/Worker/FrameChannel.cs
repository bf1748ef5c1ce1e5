using System.Buffers.Binary;
using System.Text.Json;
using ShadowMcp.Portal.Config;

namespace ShadowMcp.Portal.CodeMode.Worker;

/// <summary>
/// Length-prefixed JSON frames over a pair of pipes: a 4-byte big-endian length, then UTF-8 JSON.
/// A frame over <see cref="MaxFrameBytes"/> is a protocol violation: the reader throws and the caller kills the peer.
/// </summary>
internal sealed class FrameChannel(Stream input, Stream output, int maxFrameBytes)
{
    private static readonly JsonSerializerOptions Options = new() { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingDefault };
    private readonly SemaphoreSlim _writeGate = new(1, 1);

    public int MaxFrameBytes => maxFrameBytes;

    /// <returns>The next message, or null at the end of the stream.</returns>
    public async Task<WorkerMessage?> ReadAsync(CancellationToken ct)
    {
        var header = new byte[4];
        if (!await FillAsync(header, ct)) return null;
        var body = new byte[BodyLength(header)];
        if (!await FillAsync(body, ct)) throw new EndOfStreamException("the peer closed the pipe in the middle of a frame");
        return Decode(body);
    }

    /// <summary>
    /// A blocking read, for a thread that does nothing else (the worker's reader): it wakes on the frame itself
    /// instead of waiting for a thread-pool thread, which a nice-19 process on a busy host gets late.
    /// </summary>
    /// <returns>The next message, or null at the end of the stream.</returns>
    public WorkerMessage? Read()
    {
        Span<byte> header = stackalloc byte[4];
        if (!Fill(header)) return null;
        var body = new byte[BodyLength(header)];
        if (!Fill(body)) throw new EndOfStreamException("the peer closed the pipe in the middle of a frame");
        return Decode(body);
    }

    private int BodyLength(ReadOnlySpan<byte> header)
    {
        var length = BinaryPrimitives.ReadInt32BigEndian(header);
        if (length <= 0 || length > maxFrameBytes) throw new InvalidDataException($"frame of {length} bytes (limit {maxFrameBytes})");
        return length;
    }

    private static WorkerMessage Decode(byte[] body) =>
        JsonSerializer.Deserialize<WorkerMessage>(body, Options) ?? throw new InvalidDataException("empty frame");

    public async Task WriteAsync(WorkerMessage message, CancellationToken ct)
    {
        var frame = Frame(message);
        await _writeGate.WaitAsync(ct);
        try
        {
            await output.WriteAsync(frame, ct);
            await output.FlushAsync(ct);
        }
        finally { _writeGate.Release(); }
    }

    /// <summary>
    /// A blocking write, for callers that are not async (the script's thread asking the portal). Not WriteAsync
    /// waited on: on Unix an async pipe write runs on another thread-pool thread, and the worker's pool (as many
    /// threads as cores, one of them parked in the reader's blocking read) then had none free, so every execution
    /// that made a tool call waited about a second for the pool to grow.
    /// </summary>
    public void Write(WorkerMessage message)
    {
        var frame = Frame(message);
        _writeGate.Wait();
        try
        {
            output.Write(frame);
            output.Flush();
        }
        finally { _writeGate.Release(); }
    }

    private byte[] Frame(WorkerMessage message)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(message, Options);
        if (body.Length > maxFrameBytes) throw new InvalidDataException($"frame of {body.Length} bytes (limit {maxFrameBytes})");
        var frame = new byte[4 + body.Length];
        BinaryPrimitives.WriteInt32BigEndian(frame, body.Length);
        body.CopyTo(frame, 4);
        return frame;
    }

    private async Task<bool> FillAsync(byte[] buffer, CancellationToken ct)
    {
        var read = 0;
        while (read < buffer.Length)
        {
            var n = await input.ReadAsync(buffer.AsMemory(read), ct);
            if (n == 0)
            {
                if (read == 0) return false;
                throw new EndOfStreamException("the peer closed the pipe in the middle of a frame");
            }
            read += n;
        }
        return true;
    }

    /// <returns>False at the end of the stream before the first byte.</returns>
    private bool Fill(Span<byte> buffer)
    {
        var read = 0;
        while (read < buffer.Length)
        {
            var n = input.Read(buffer[read..]);
            if (n == 0)
            {
                if (read == 0) return false;
                throw new EndOfStreamException("the peer closed the pipe in the middle of a frame");
            }
            read += n;
        }
        return true;
    }

    /// <summary>Frames must hold the largest JSON a script may send or receive, with room for escaping.</summary>
    public static int FrameLimit(CodeModeSettings settings) => (int)Math.Min(int.MaxValue, 6L * settings.MaxJsonChars + 1024 * 1024);
}
