using System.Text;
using CsCheck;
using ShadowMcp.Scanner.Http;
using ShadowMcp.Scanner.Tests.Properties;

namespace ShadowMcp.Scanner.Tests.Http;

/// <summary>
/// Any body, chunked any way RFC 9112 7.1 allows (hex case, leading zeros, extensions, LF or CRLF, trailers) and
/// cut into any segments, decodes to the body and stops exactly after the last line, leaving what follows unread.
/// </summary>
public class ChunkedPropertyTests
{
    /// <summary>Chunk length, extension text or null, upper-case hex, leading zeros, bare LF line ends.</summary>
    private static readonly Gen<(int Length, string? Extension, bool Upper, int Zeros, bool BareLf)> Chunk =
        Gen.Select(Gen.Frequency((4, Gen.Int[1, 40]), (1, Gen.Int[1, 3000])),
            Gen.Frequency((3, Gen.Const((string?)null)),
                (1, Gen.Char["abc=;\" \t"].Array[0, 60].Select(c => (string?)new string(c)))),
            Gen.Bool, Gen.Int[0, 4], Gen.Bool);

    private static readonly Gen<string[]> Trailers =
        Gen.Frequency((3, Gen.Const(Array.Empty<string>())),
            (1, Gen.Char['a', 'z'].Array[1, 30].Select(c => new string(c)).Array[1, 3]));

    [Test]
    public void AnyChunking_DecodesToTheBody_AndLeavesTheNextMessage()
    {
        var gen = Gen.Select(Gen.Byte.Array[0, 6000], Chunk.Array[1, 20], Trailers, Gen.Byte.Array[0, 20], Splits.Cuts);
        gen.Sample((body, chunks, trailers, next, cuts) =>
        {
            var wire = Encode(body, chunks, trailers);
            var segments = Splits.Apply([.. wire, .. next], cuts);
            var decoder = new ChunkedBodyDecoder(maxLineBytes: 1024, maxTrailerBytes: 4096);
            var decoded = new List<byte>();
            var left = new List<byte>();
            bool done = false;
            foreach (var segment in segments)
            {
                if (done)
                {
                    left.AddRange(segment);
                    continue;
                }
                ReadOnlySpan<byte> input = segment;
                while (true)
                {
                    var step = decoder.Read(ref input, out var payload, out var reason);
                    Assert.That(step, Is.Not.EqualTo(ChunkStep.Rejected), $"rejected: {reason}");
                    if (step == ChunkStep.Payload) decoded.AddRange(payload.ToArray());
                    else if (step == ChunkStep.Done) { done = true; left.AddRange(input.ToArray()); break; }
                    else break;
                }
            }
            Assert.That(done, Is.True, "never reached the end of the body");
            Assert.That(decoded.ToArray(), Is.EqualTo(body));
            Assert.That(left.ToArray(), Is.EqualTo(next));
        }, iter: Splits.Iterations, threads: 1);
    }

    /// <summary>Body split at the chunk lengths (cycled), then the last chunk, trailers and the blank line.</summary>
    private static byte[] Encode(
        byte[] body, (int Length, string? Extension, bool Upper, int Zeros, bool BareLf)[] chunks, string[] trailers)
    {
        var wire = new List<byte>();
        int offset = 0, i = 0;
        while (true)
        {
            var (length, extension, upper, zeros, bareLf) = chunks[i++ % chunks.Length];
            length = Math.Min(length, body.Length - offset);
            string eol = bareLf ? "\n" : "\r\n";
            string size = new string('0', zeros) + length.ToString(upper ? "X" : "x");
            wire.AddRange(Encoding.ASCII.GetBytes(size + (extension is null ? "" : ";" + extension) + eol));
            if (length == 0) break;
            wire.AddRange(body.AsSpan(offset, length).ToArray());
            wire.AddRange(Encoding.ASCII.GetBytes(eol));
            offset += length;
        }
        foreach (var trailer in trailers) wire.AddRange(Encoding.ASCII.GetBytes($"x-{trailer}: {trailer}\r\n"));
        wire.AddRange("\r\n"u8.ToArray());
        return wire.ToArray();
    }
}
