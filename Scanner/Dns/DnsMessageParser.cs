using System.Buffers.Binary;
using System.Net;
using System.Text;
using ShadowMcp.Core.Observations;

namespace ShadowMcp.Scanner.Dns;

/// <summary>
/// Parses one DNS message into the <c>dns</c> fields: first question, response flag and code, and the data of
/// A, AAAA, CNAME, PTR, NS, MX, HTTPS/SVCB (target name) and TXT answers. Bounds-checked; never throws.
/// </summary>
internal static class DnsMessageParser
{
    private const int HeaderLength = 12;
    private const int MaxAnswers = 64;
    private const int MaxTxtChars = 255;

    /// <summary>The fields, or null when the message is malformed before its first question is read.</summary>
    public static FieldBag? Parse(ReadOnlySpan<byte> message, out bool isResponse)
    {
        var fields = new FieldBag(8);
        return Parse(message, fields, out isResponse) ? fields : null;
    }

    /// <summary>Adds the fields to <paramref name="fields"/>; false when the message is malformed before its first question is read.</summary>
    public static bool Parse(ReadOnlySpan<byte> message, FieldBag fields, out bool isResponse)
    {
        isResponse = false;
        if (message.Length < HeaderLength) return false;
        ushort flags = BinaryPrimitives.ReadUInt16BigEndian(message[2..]);
        ushort questions = BinaryPrimitives.ReadUInt16BigEndian(message[4..]);
        ushort answers = BinaryPrimitives.ReadUInt16BigEndian(message[6..]);
        isResponse = (flags & 0x8000) != 0;
        // The message id pairs an answer with its query: an answer nobody asked for, or a second, different one, is
        // how a forged answer shows (the classifier's HostDirectory).
        fields.Add("id", DnsIds.Of(BinaryPrimitives.ReadUInt16BigEndian(message)));

        int pos = HeaderLength;
        for (int q = 0; q < questions; q++)
        {
            if (q == 0)
            {
                if (!DnsNames.TryRead(message, pos, out var name, out pos) || pos + 4 > message.Length) return false;
                fields.Add("name", name).Add("type", DnsMnemonics.Type(BinaryPrimitives.ReadUInt16BigEndian(message[pos..])));
            }
            else if (!DnsNames.TrySkip(message, pos, out pos) || pos + 4 > message.Length) return false;
            pos += 4;
        }
        fields.Add("response", isResponse ? "true" : "false");
        if (!isResponse) return true;
        fields.Add("rcode", DnsMnemonics.ResponseCode(flags & 0x000F));

        // Answers are best effort: what parsed before a fault is kept.
        for (int a = 0; a < Math.Min((int)answers, MaxAnswers); a++)
        {
            if (!DnsNames.TryRead(message, pos, out var owner, out pos) || pos + 10 > message.Length) break;
            ushort type = BinaryPrimitives.ReadUInt16BigEndian(message[pos..]);
            ushort rdLength = BinaryPrimitives.ReadUInt16BigEndian(message[(pos + 8)..]);
            int rdata = pos + 10;
            if (rdata + rdLength > message.Length) break;
            pos = rdata + rdLength;
            var data = AnswerData(message, type, rdata, rdLength, owner);
            if (data is null) continue;
            fields.Add("answer", data).Add("answer.name", owner);
        }
        return true;
    }

    private static string? AnswerData(ReadOnlySpan<byte> message, ushort type, int rdata, int length, string owner)
    {
        var rd = message.Slice(rdata, length);
        switch (type)
        {
            case DnsMnemonics.A when length == 4:
            case DnsMnemonics.AAAA when length == 16:
                return new IPAddress(rd).ToString();
            case DnsMnemonics.CNAME or DnsMnemonics.PTR or DnsMnemonics.NS:
                return DnsNames.TryRead(message, rdata, out var target, out _) ? target : null;
            case DnsMnemonics.MX when length > 2:
                return DnsNames.TryRead(message, rdata + 2, out var exchange, out _) ? exchange : null;
            case DnsMnemonics.HTTPS or DnsMnemonics.SVCB when length > 2:
                if (!DnsNames.TryRead(message, rdata + 2, out var svcTarget, out _)) return null;
                // "." means the owner name itself (RFC 9460 2.5).
                return svcTarget.Length == 0 ? owner : svcTarget;
            case DnsMnemonics.TXT:
                return TxtText(rd);
            default:
                return null;
        }
    }

    private static string TxtText(ReadOnlySpan<byte> rd)
    {
        var text = new StringBuilder();
        int pos = 0;
        while (pos < rd.Length && text.Length < MaxTxtChars)
        {
            int len = rd[pos];
            int end = Math.Min(pos + 1 + len, rd.Length);
            text.Append(Encoding.UTF8.GetString(rd[(pos + 1)..end]));
            pos = end;
        }
        return text.Length > MaxTxtChars ? text.ToString(0, MaxTxtChars) : text.ToString();
    }
}
