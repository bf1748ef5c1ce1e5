using System.Buffers.Binary;

namespace ShadowMcp.Scanner.Capture;

/// <summary>Reads frames from a pcap or pcapng stream; <see cref="Open"/> picks the format by its magic number.</summary>
internal abstract class CaptureReader
{
    private protected readonly ChunkedInput Input;
    private protected readonly CaptureReaderOptions Options;

    private protected CaptureReader(ChunkedInput input, string fileName, CaptureReaderOptions options)
    {
        Input = input;
        FileName = fileName;
        Options = options;
    }

    /// <summary>The name used in error messages.</summary>
    public string FileName { get; }

    /// <summary>Bytes in the file, or -1 when unknown (progress total).</summary>
    public long Length => Input.Length;

    /// <summary>Offset of the next unread byte (progress done).</summary>
    public long Position => Input.Position;

    /// <summary>
    /// Reads the next frame. False at the clean end of the file. Throws <see cref="CaptureFormatException"/> when the
    /// file is truncated or corrupt; frames returned before stay valid results.
    /// </summary>
    public abstract bool TryReadFrame(out CaptureFrame frame);

    /// <summary>Opens a capture, reading and checking its file header.</summary>
    public static CaptureReader Open(Stream stream, string fileName, CaptureReaderOptions? options = null)
    {
        options ??= new CaptureReaderOptions();
        options.Validate();
        var input = new ChunkedInput(stream, options.BufferSize);
        input.Ensure(4);
        var head = input.Span;
        if (head.Length >= 4)
        {
            uint magic = BinaryPrimitives.ReadUInt32LittleEndian(head);
            if (PcapReader.IsMagic(magic)) return new PcapReader(input, fileName, options);
            if (magic == PcapNgReader.SectionHeaderType) return new PcapNgReader(input, fileName, options);
        }
        else if (head.Length > 0 && IsMagicPrefix(head))
        {
            throw new CaptureFormatException(CaptureErrorKind.Truncated, fileName, 0,
                $"truncated file header: the file has only {head.Length} bytes");
        }

        throw new CaptureFormatException(CaptureErrorKind.NotACapture, fileName, null, head.Length == 0
            ? "not a pcap or pcapng file: the file is empty"
            : $"not a pcap or pcapng file: first bytes {Convert.ToHexString(head[..Math.Min(head.Length, 8)])}");
    }

    private static bool IsMagicPrefix(ReadOnlySpan<byte> head)
    {
        ReadOnlySpan<uint> magics = [0xa1b2c3d4, 0xa1b23c4d, 0xd4c3b2a1, 0x4d3cb2a1, PcapNgReader.SectionHeaderType];
        Span<byte> bytes = stackalloc byte[4];
        foreach (uint magic in magics)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(bytes, magic);
            if (bytes.StartsWith(head)) return true;
        }

        return false;
    }

    private protected CaptureFormatException Error(CaptureErrorKind kind, long? offset, string reason) =>
        new(kind, FileName, offset, reason);

    private protected CaptureFormatException UnsupportedLinkType(int linkType, long offset, string where) =>
        Error(CaptureErrorKind.UnsupportedLinkType, offset,
            $"unsupported link type {linkType} ({where}); supported: 0 null, 1 Ethernet, 12/14/101/228/229 raw IP, 108 loop, 113 SLL, 276 SLL2");

    /// <summary>Converts a tick count since the Unix epoch to a DateTime, clamped to the representable range.</summary>
    private protected static DateTime FromUnixTicks(long ticks)
    {
        long max = DateTime.MaxValue.Ticks - DateTime.UnixEpoch.Ticks;
        long min = -DateTime.UnixEpoch.Ticks;
        if (ticks > max) ticks = max;
        else if (ticks < min) ticks = min;
        return new DateTime(DateTime.UnixEpoch.Ticks + ticks, DateTimeKind.Utc);
    }
}
