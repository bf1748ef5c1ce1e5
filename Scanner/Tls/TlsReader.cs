using System.Buffers.Binary;

namespace ShadowMcp.Scanner.Tls;

/// <summary>Reads TLS presentation-language fields (integers and length-prefixed vectors) with bounds checks.</summary>
internal ref struct TlsReader(ReadOnlySpan<byte> data)
{
    private ReadOnlySpan<byte> _rest = data;

    public bool TryU8(out int value)
    {
        value = 0;
        if (_rest.Length < 1) return false;
        value = _rest[0];
        _rest = _rest[1..];
        return true;
    }

    public bool TryU16(out int value)
    {
        value = 0;
        if (_rest.Length < 2) return false;
        value = BinaryPrimitives.ReadUInt16BigEndian(_rest);
        _rest = _rest[2..];
        return true;
    }

    public bool TryBytes(int count, out ReadOnlySpan<byte> bytes)
    {
        bytes = default;
        if (_rest.Length < count) return false;
        bytes = _rest[..count];
        _rest = _rest[count..];
        return true;
    }

    public bool TrySkip(int count)
    {
        if (_rest.Length < count) return false;
        _rest = _rest[count..];
        return true;
    }

    public bool TryVector8(out ReadOnlySpan<byte> vector) => TryVector(1, out vector);

    public bool TryVector16(out ReadOnlySpan<byte> vector) => TryVector(2, out vector);

    private bool TryVector(int lengthBytes, out ReadOnlySpan<byte> vector)
    {
        vector = default;
        if (_rest.Length < lengthBytes) return false;
        int length = lengthBytes == 1 ? _rest[0] : BinaryPrimitives.ReadUInt16BigEndian(_rest);
        if (_rest.Length < lengthBytes + length) return false;
        vector = _rest.Slice(lengthBytes, length);
        _rest = _rest[(lengthBytes + length)..];
        return true;
    }
}
