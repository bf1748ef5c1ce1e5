using System.Buffers;
using System.Buffers.Text;
using System.Text;
using System.Text.RegularExpressions;

namespace ShadowMcp.Portal.Dlp;

/// <summary>
/// Base64 (standard or URL-safe) and hex segments decoded once and scanned again, so a secret cannot walk out
/// encoded. Bounded: at most <see cref="MaxSegments"/> segments and <see cref="MaxDecodedBytes"/> per text, no
/// decoding inside decoded text, and only segments that decode to readable UTF-8 text (hashes, ids and images
/// decode to bytes, not text, and are skipped).
/// </summary>
internal static class DlpEncoded
{
    public const int MaxSegments = 16;
    public const int MaxDecodedBytes = 64 * 1024;

    public static bool Scan(ReadOnlySpan<char> text, ReadOnlySpan<char> field, DlpFindings? found)
    {
        var segments = 0;
        var budget = MaxDecodedBytes;
        var any = false;
        try
        {
            foreach (var m in DlpPatterns.Encoded().EnumerateMatches(text))
            {
                if (++segments > MaxSegments || budget <= 0) break;
                var segment = text.Slice(m.Index, Math.Min(m.Length, budget * 4 / 3 & ~3));
                var hit = ScanSegment(segment, field, ref budget, out var detector);
                if (!hit) continue;
                any = true;
                if (found is null) return true;
                found.Add(detector!, m.Index, m.Length);
            }
        }
        catch (RegexMatchTimeoutException)
        {
            found?.Add("encoded-timeout", 0, text.Length);
            return true;
        }
        return any;
    }

    private static bool ScanSegment(ReadOnlySpan<char> segment, ReadOnlySpan<char> field, ref int budget, out string? detector)
    {
        detector = null;
        var bytes = ArrayPool<byte>.Shared.Rent(segment.Length);
        try
        {
            var isHex = segment.Length % 2 == 0 && !segment.ContainsAnyExcept(HexChars);
            if (isHex && Convert.FromHexString(segment, bytes, out _, out var hexWritten) == OperationStatus.Done
                && Readable(bytes.AsSpan(0, hexWritten), field, ref budget, out detector)) return true;
            return TryBase64(segment, bytes, out var written) && Readable(bytes.AsSpan(0, written), field, ref budget, out detector);
        }
        finally { ArrayPool<byte>.Shared.Return(bytes); }
    }

    private static readonly SearchValues<char> HexChars = SearchValues.Create("0123456789abcdefABCDEF");

    private static bool TryBase64(ReadOnlySpan<char> segment, byte[] bytes, out int written)
    {
        written = 0;
        var body = segment.TrimEnd('=');
        if (body.Length % 4 == 1) body = body[..^1]; // a stray char cannot be base64; decode what is
        var chars = ArrayPool<char>.Shared.Rent(body.Length + 3);
        try
        {
            var n = 0;
            foreach (var c in body) chars[n++] = c switch { '-' => '+', '_' => '/', _ => c };
            while (n % 4 != 0) chars[n++] = '=';
            return Convert.TryFromBase64Chars(chars.AsSpan(0, n), bytes, out written);
        }
        finally { ArrayPool<char>.Shared.Return(chars); }
    }

    private static bool Readable(ReadOnlySpan<byte> bytes, ReadOnlySpan<char> field, ref int budget, out string? detector)
    {
        detector = null;
        budget -= bytes.Length;
        if (bytes.Length < DlpEngine.MinimumLength || !System.Text.Unicode.Utf8.IsValid(bytes)) return false;
        var chars = ArrayPool<char>.Shared.Rent(bytes.Length);
        var folded = ArrayPool<char>.Shared.Rent(bytes.Length);
        try
        {
            var n = Encoding.UTF8.GetChars(bytes, chars);
            var text = chars.AsSpan(0, n);
            var control = 0;
            foreach (var c in text) if (char.IsControl(c) && c is not ('\n' or '\r' or '\t')) control++;
            if (control * 10 > n) return false; // binary, not text
            var length = DlpFolding.Fold(text, folded, []);
            var findings = new DlpFindings();
            if (!DlpEngine.Analyze(folded.AsSpan(0, length), field, findings, decode: false)) return false;
            detector = findings.Items[0].Detector;
            return true;
        }
        finally
        {
            ArrayPool<char>.Shared.Return(chars);
            ArrayPool<char>.Shared.Return(folded);
        }
    }
}
