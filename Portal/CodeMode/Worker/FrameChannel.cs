using System.Buffers.Binary;
using System.Text.Encodings.Web;
using System.Text.Json;
using ShadowMcp.Portal.Config;

namespace ShadowMcp.Portal.CodeMode.Worker;

/// <summary>
/// Length-prefixed JSON frames over a pair of pipes: a 4-byte big-endian length, then UTF-8 JSON.
/// A frame over <see cref="MaxFrameBytes"/> is a protocol violation: the reader throws and the caller kills the peer.
/// Only a result ("done") may be longer than <paramref name="maxRequestFrameBytes"/>: a longer frame must open with
/// <c>{"t":"done"</c>, checked on its first bytes, so a call frame over the limit is refused from its length and
/// those bytes, before its body is read or parsed.
/// </summary>
internal sealed class FrameChannel(Stream input, Stream output, int maxFrameBytes, int maxRequestFrameBytes = int.MaxValue)
{
    // The frames cross a pipe between two of our processes and are never shown in a page: escaping only what JSON
    // needs keeps a frame within twice its text (HTML-safe escaping made a quote six bytes).
    private static readonly JsonSerializerOptions Options = new()
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingDefault,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        // The worker is untrusted: a frame that names a field twice ({"t":"done","t":"call"}) would pass the opening
        // check as a result and be read as whatever its last key says.
        AllowDuplicateProperties = false,
    };
    private readonly SemaphoreSlim _writeGate = new(1, 1);

    // How a result frame opens: WorkerMessage's first property is its type.
    private static ReadOnlySpan<byte> ResultOpening => "{\"t\":\"done\""u8;

    public int MaxFrameBytes => maxFrameBytes;

    /// <returns>The next message, or null at the end of the stream.</returns>
    public async Task<WorkerMessage?> ReadAsync(CancellationToken ct)
    {
        var header = new byte[4];
        if (!await FillAsync(header, ct)) return null;
        var length = BodyLength(header);
        var body = new byte[length > maxRequestFrameBytes ? ResultOpening.Length : length];
        if (!await FillAsync(body, ct)) throw new EndOfStreamException("the peer closed the pipe in the middle of a frame");
        if (length > maxRequestFrameBytes)
        {
            // Only the opening is read until the frame is known to be a result: a call's arguments are never buffered.
            CheckResultOpening(body, length);
            var opening = body;
            body = new byte[length];
            opening.CopyTo(body, 0);
            if (!await FillAsync(body.AsMemory(opening.Length), ct)) throw new EndOfStreamException("the peer closed the pipe in the middle of a frame");
            return DecodeResult(body);
        }
        return Decode(body);
    }

    private void CheckResultOpening(ReadOnlySpan<byte> opening, int length)
    {
        if (!opening.SequenceEqual(ResultOpening))
            throw new InvalidDataException($"frame of {length} bytes that is not a result (limit {maxRequestFrameBytes})");
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
        var length = BodyLength(header);
        if (length > maxRequestFrameBytes)
        {
            Span<byte> opening = stackalloc byte[ResultOpening.Length];
            if (!Fill(opening)) throw new EndOfStreamException("the peer closed the pipe in the middle of a frame");
            CheckResultOpening(opening, length);
            var result = new byte[length];
            opening.CopyTo(result);
            if (!Fill(result.AsSpan(opening.Length))) throw new EndOfStreamException("the peer closed the pipe in the middle of a frame");
            return DecodeResult(result);
        }
        var body = new byte[length];
        if (!Fill(body)) throw new EndOfStreamException("the peer closed the pipe in the middle of a frame");
        return Decode(body);
    }

    private int BodyLength(ReadOnlySpan<byte> header)
    {
        var length = BinaryPrimitives.ReadInt32BigEndian(header);
        if (length <= 0 || length > maxFrameBytes) throw new InvalidDataException($"frame of {length} bytes (limit {maxFrameBytes})");
        // No result is this short: a frame over the request limit must hold a result's opening.
        if (length > maxRequestFrameBytes && length <= ResultOpening.Length)
            throw new InvalidDataException($"frame of {length} bytes that is not a result (limit {maxRequestFrameBytes})");
        return length;
    }

    private static WorkerMessage Decode(byte[] body)
    {
        try
        {
            return JsonSerializer.Deserialize<WorkerMessage>(body, Options) ?? throw new InvalidDataException("empty frame");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"frame that is not a message: {e.Message}", e);
        }
    }

    // A frame over the request limit was let through as a result: what it decodes to must be one.
    private WorkerMessage DecodeResult(byte[] body)
    {
        var message = Decode(body);
        if (message.Type != "done")
            throw new InvalidDataException($"frame of {body.Length} bytes that is not a result (limit {maxRequestFrameBytes})");
        return message;
    }

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
    public void Write(WorkerMessage message) => Send(Frame(message));

    /// <summary>
    /// Writes <paramref name="message"/> only if its body fits in <paramref name="limit"/> bytes (what the peer
    /// reads of such a frame); false, with nothing written, when it does not.
    /// </summary>
    public bool TryWrite(WorkerMessage message, int limit)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(message, Options);
        if (body.Length > Math.Min(limit, maxFrameBytes)) return false;
        Send(WithHeader(body));
        return true;
    }

    private void Send(byte[] frame)
    {
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
        return WithHeader(body);
    }

    private static byte[] WithHeader(byte[] body)
    {
        var frame = new byte[4 + body.Length];
        BinaryPrimitives.WriteInt32BigEndian(frame, body.Length);
        body.CopyTo(frame, 4);
        return frame;
    }

    private Task<bool> FillAsync(byte[] buffer, CancellationToken ct) => FillAsync(buffer.AsMemory(), ct);

    private async Task<bool> FillAsync(Memory<byte> buffer, CancellationToken ct)
    {
        var read = 0;
        while (read < buffer.Length)
        {
            var n = await input.ReadAsync(buffer[read..], ct);
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

    /// <summary>
    /// The largest frame a worker may send that is not a result: a call whose arguments are at most
    /// <c>maxArgumentBytes</c> of UTF-8 JSON (twice that once quotes and backslashes are escaped), plus its name
    /// and the frame's own fields. The worker sends a larger call as its size alone.
    /// </summary>
    public static int RequestFrameLimit(CodeModeSettings settings) =>
        (int)Math.Min(int.MaxValue, 2L * settings.MaxArgumentBytes + RequestFrameOverhead);

    private const int RequestFrameOverhead = 64 * 1024;
}
