using System.Buffers;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace ShadowMcp.Portal.Dlp;

/// <summary>
/// The cheap first look on the request path: does any string value in this JSON even look like something a
/// detector would flag? Runs every detector's pattern over each unescaped string with no allocation. Only a
/// "maybe" pays for the full <see cref="DlpScanner"/> walk, which validates, names paths and redacts; so the
/// verdict is always the full scanner's, and clean traffic (nearly all of it) skips the JsonNode round trip.
/// </summary>
internal static class DlpPrescan
{
    [ThreadStatic] private static ArrayBufferWriter<byte>? t_buffer;
    [ThreadStatic] private static Utf8JsonWriter? t_writer;

    /// <summary>Serializes <paramref name="value"/> into a per-thread buffer and pre-scans it.</summary>
    public static bool MayMatch<T>(T value, JsonSerializerOptions options)
    {
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(4096);
        buffer.ResetWrittenCount();
        var writer = t_writer ??= new Utf8JsonWriter(buffer);
        writer.Reset(buffer);
        JsonSerializer.Serialize(writer, value, options);
        writer.Flush();
        var result = MayMatch(buffer.WrittenSpan);
        // Do not let one huge result pin a huge buffer to this thread forever.
        if (buffer.Capacity > 1 << 20) { t_buffer = null; t_writer = null; }
        return result;
    }

    public static bool MayMatch(ReadOnlySpan<byte> utf8Json)
    {
        var reader = new Utf8JsonReader(utf8Json, new JsonReaderOptions { MaxDepth = 256 });
        char[]? rented = null;
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType != JsonTokenType.String) continue;
                var length = reader.ValueSpan.Length; // unescaped UTF-16 never needs more chars than UTF-8 bytes
                if (length < MinimumCandidateLength) continue;
                if (rented is null || rented.Length < length)
                {
                    if (rented is not null) ArrayPool<char>.Shared.Return(rented);
                    rented = ArrayPool<char>.Shared.Rent(length);
                }
                var written = reader.CopyString(rented);
                if (AnyPattern(rented.AsSpan(0, written))) return true;
            }
            return false;
        }
        catch (JsonException)
        {
            return true; // not ours to judge: let the full scanner see it
        }
        finally
        {
            if (rented is not null) ArrayPool<char>.Shared.Return(rented);
        }
    }

    // The shortest thing any detector matches is an e-mail address like "a@b.cd".
    private const int MinimumCandidateLength = 6;

    private static bool AnyPattern(ReadOnlySpan<char> text)
    {
        foreach (var detector in DlpDetectors.All)
        {
            try
            {
                if (detector.Pattern.IsMatch(text)) return true;
            }
            catch (RegexMatchTimeoutException)
            {
                return true; // the full scanner reports the timeout as a hit
            }
        }
        return false;
    }
}
