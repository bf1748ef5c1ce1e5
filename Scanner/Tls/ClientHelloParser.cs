using System.Buffers.Binary;
using System.Text;
using ShadowMcp.Core.Observations;

namespace ShadowMcp.Scanner.Tls;

/// <summary>
/// Finds the ClientHello at the start of a TLS connection (RFC 8446 4.1.2), across records when it is split, and
/// reads SNI (extension 0), ALPN (16) and supported_versions (43). Every length is checked against its container.
/// </summary>
internal static class ClientHelloParser
{
    private const byte HandshakeRecord = 22;
    private const byte ClientHelloType = 1;
    private const int RecordHeader = 5;
    private const int MaxRecordLength = 16384 + 2048;

    public static ClientHelloResult TryParse(ReadOnlySpan<byte> stream, int maxHelloBytes, out FieldBag? fields)
    {
        fields = null;
        // Fast path: the whole handshake message sits in the first record.
        if (stream.Length < RecordHeader) return ClientHelloResult.NeedMore;
        if (!IsHandshakeRecord(stream, out int firstLength)) return ClientHelloResult.NotClientHello;
        var first = stream.Slice(RecordHeader, Math.Min(firstLength, stream.Length - RecordHeader));
        if (first.Length >= 1 && first[0] != ClientHelloType) return ClientHelloResult.NotClientHello;
        if (first.Length < 4) return firstLength < 4 ? Reassemble(stream, maxHelloBytes, out fields) : ClientHelloResult.NeedMore;
        int helloLength = (first[1] << 16) | (first[2] << 8) | first[3];
        if (helloLength > maxHelloBytes) return ClientHelloResult.NotClientHello;
        if (first.Length >= 4 + helloLength)
        {
            fields = ParseBody(first.Slice(4, helloLength));
            return fields is null ? ClientHelloResult.NotClientHello : ClientHelloResult.Complete;
        }
        return firstLength >= 4 + helloLength ? ClientHelloResult.NeedMore : Reassemble(stream, maxHelloBytes, out fields);
    }

    private static bool IsHandshakeRecord(ReadOnlySpan<byte> record, out int length)
    {
        length = BinaryPrimitives.ReadUInt16BigEndian(record[3..]);
        return record[0] == HandshakeRecord && record[1] == 3 && record[2] <= 4 && length > 0 && length <= MaxRecordLength;
    }

    /// <summary>Joins the fragments of consecutive handshake records until the ClientHello is whole.</summary>
    private static ClientHelloResult Reassemble(ReadOnlySpan<byte> stream, int maxHelloBytes, out FieldBag? fields)
    {
        fields = null;
        var joined = new byte[Math.Min(stream.Length, maxHelloBytes + 4)];
        int count = 0, pos = 0;
        while (pos + RecordHeader <= stream.Length)
        {
            if (!IsHandshakeRecord(stream[pos..], out int length)) return ClientHelloResult.NotClientHello;
            int available = Math.Min(length, stream.Length - pos - RecordHeader);
            int take = Math.Min(available, joined.Length - count);
            stream.Slice(pos + RecordHeader, take).CopyTo(joined.AsSpan(count));
            count += take;
            if (count >= 4)
            {
                int helloLength = (joined[1] << 16) | (joined[2] << 8) | joined[3];
                if (helloLength > maxHelloBytes) return ClientHelloResult.NotClientHello;
                if (count >= 4 + helloLength)
                {
                    fields = ParseBody(joined.AsSpan(4, helloLength));
                    return fields is null ? ClientHelloResult.NotClientHello : ClientHelloResult.Complete;
                }
            }
            if (available < length) break;
            pos += RecordHeader + length;
        }
        return ClientHelloResult.NeedMore;
    }

    private static FieldBag? ParseBody(ReadOnlySpan<byte> hello)
    {
        var reader = new TlsReader(hello);
        if (!reader.TryU16(out int legacyVersion) || !reader.TrySkip(32)
            || !reader.TryVector8(out _) || !reader.TryVector16(out _) || !reader.TryVector8(out _))
            return null;
        int highest = legacyVersion;
        string? sni = null;
        var alpn = new List<string>(2);
        if (reader.TryVector16(out var extensions))
        {
            var ext = new TlsReader(extensions);
            while (ext.TryU16(out int type) && ext.TryVector16(out var body))
            {
                switch (type)
                {
                    case 0: sni ??= ServerName(body); break;
                    case 16: Alpn(body, alpn); break;
                    case 43: highest = SupportedVersions(body, highest); break;
                }
            }
        }
        var fields = new FieldBag(4);
        if (sni is not null) fields.Add("sni", sni);
        foreach (var protocol in alpn) fields.Add("alpn", protocol);
        fields.Add("version", VersionName(highest));
        return fields;
    }

    private static string? ServerName(ReadOnlySpan<byte> body)
    {
        var list = new TlsReader(body);
        if (!list.TryVector16(out var names)) return null;
        var entries = new TlsReader(names);
        while (entries.TryU8(out int nameType) && entries.TryVector16(out var name))
        {
            if (nameType == 0 && !name.IsEmpty) return Encoding.ASCII.GetString(name).TrimEnd('.').ToLowerInvariant();
        }
        return null;
    }

    private static void Alpn(ReadOnlySpan<byte> body, List<string> output)
    {
        var list = new TlsReader(body);
        if (!list.TryVector16(out var protocols)) return;
        var entries = new TlsReader(protocols);
        while (entries.TryVector8(out var protocol) && output.Count < 16) output.Add(Encoding.UTF8.GetString(protocol));
    }

    private static int SupportedVersions(ReadOnlySpan<byte> body, int highest)
    {
        var list = new TlsReader(body);
        if (!list.TryVector8(out var versions)) return highest;
        var entries = new TlsReader(versions);
        int best = -1;
        while (entries.TryU16(out int version))
        {
            bool grease = (version & 0x0F0F) == 0x0A0A && (version >> 8) == (version & 0xFF);
            if (!grease && version > best && version <= 0x0304) best = version;
        }
        return best < 0 ? highest : best;
    }

    private static string VersionName(int version) => version switch
    {
        0x0304 => "TLS1.3",
        0x0303 => "TLS1.2",
        0x0302 => "TLS1.1",
        0x0301 => "TLS1.0",
        0x0300 => "SSL3.0",
        _ => $"0x{version:x4}",
    };
}
