using CsCheck;
using ShadowMcp.Scanner.Tls;
using ShadowMcp.Scanner.Tests.Properties;

namespace ShadowMcp.Scanner.Tests.Tls;

/// <summary>
/// TLS framing round trips: records cut into any segments come out of <see cref="TlsRecordStream"/> whole, with
/// their bodies when wanted; handshake messages spread over records in any way come out of
/// <see cref="TlsHandshakeAssembler"/> whole, kept or only counted as the caller chose.
/// </summary>
public class TlsFramingPropertyTests
{
    private static readonly Gen<(byte Type, byte Minor, byte[] Body)> Record = Gen.Select(
        Gen.Byte[TlsContentType.ChangeCipherSpec, TlsContentType.Heartbeat], Gen.Byte[0, 4],
        Gen.Frequency((6, Gen.Byte.Array[0, 300]), (1, Gen.Byte.Array[0, TlsRecordStream.MaxRecordBody])));

    [Test]
    public void Records_AnySegmentation_ComeOutWhole()
    {
        var gen = Gen.Select(Gen.Bool, Record.Array[0, 12], Gen.Int[0, 31], Splits.Cuts);
        gen.Sample((fromClient, records, wantedTypes, cuts) =>
        {
            byte[] wire = [.. records.SelectMany(r => (byte[])[.. Header(r.Type, r.Minor, r.Body.Length), .. r.Body])];
            var handler = new RecordList(type => (wantedTypes >> (type - TlsContentType.ChangeCipherSpec) & 1) == 1);
            var stream = new TlsRecordStream(fromClient);
            foreach (var segment in Splits.Apply(wire, cuts)) stream.Feed(segment, handler, DateTime.UnixEpoch);

            Assert.That(stream.Malformed, Is.False);
            Assert.That(handler.Records, Has.Count.EqualTo(records.Length));
            for (int i = 0; i < records.Length; i++)
            {
                var (type, minor, body) = records[i];
                var got = handler.Records[i];
                Assert.That(got.FromClient, Is.EqualTo(fromClient));
                Assert.That(got.Header, Is.EqualTo(Header(type, minor, body.Length)), $"record {i}");
                bool wanted = handler.Wants(type);
                Assert.That(got.Kept, Is.EqualTo(wanted), $"record {i}");
                Assert.That(got.Body, Is.EqualTo(wanted ? body : []), $"record {i}");
            }
            stream.Stop();
        }, iter: Splits.Iterations, threads: 1);
    }

    private static readonly Gen<(byte Type, byte[] Body)> Message = Gen.Select(Gen.Byte,
        Gen.Frequency((6, Gen.Byte.Array[0, 200]), (1, Gen.Byte.Array[0, 20000])));

    [Test]
    public void HandshakeMessages_AnyRecordBoundaries_ComeOutWhole()
    {
        const int maxKept = 8192;
        var gen = Gen.Select(Message.Array[0, 10], Gen.Byte, Splits.Cuts);
        gen.Sample((messages, keepMask, cuts) =>
        {
            byte[] wire = [.. messages.SelectMany(m =>
                (byte[])[m.Type, (byte)(m.Body.Length >> 16), (byte)(m.Body.Length >> 8), (byte)m.Body.Length,
                    .. m.Body])];
            bool Keep(int type) => (keepMask >> (type % 8) & 1) == 1;
            var assembler = new TlsHandshakeAssembler(maxKept);
            var messagesOut = new MessageList();
            var got = messagesOut.Items;
            foreach (var segment in Splits.Apply(wire, cuts))
                assembler.Feed(segment, Keep, messagesOut, fromClient: true);

            Assert.That(got, Has.Count.EqualTo(messages.Length));
            for (int i = 0; i < messages.Length; i++)
            {
                var (type, body) = messages[i];
                bool kept = Keep(type) && body.Length <= maxKept;
                Assert.That(got[i].Type, Is.EqualTo(type), $"message {i}");
                Assert.That(got[i].Kept, Is.EqualTo(kept), $"message {i}");
                Assert.That(got[i].Body, Is.EqualTo(kept ? body : []), $"message {i}");
            }
            assembler.Release();
        }, iter: Splits.Iterations, threads: 1);
    }

    private static byte[] Header(byte type, byte minor, int length) =>
        [type, 3, minor, (byte)(length >> 8), (byte)length];

    private sealed class MessageList : ITlsHandshakeHandler
    {
        public List<(int Type, byte[] Body, bool Kept)> Items { get; } = [];

        public void OnHandshake(bool fromClient, int type, ReadOnlySpan<byte> body, bool kept)
        {
            Assert.That(fromClient, Is.True);
            Items.Add((type, body.ToArray(), kept));
        }
    }

    private sealed class RecordList(Func<byte, bool> wants) : ITlsRecordHandler
    {
        public List<(bool FromClient, byte[] Header, byte[] Body, bool Kept)> Records { get; } = [];

        public bool Wants(byte type) => wants(type);

        public bool WantsBody(bool fromClient, byte type, int length) => wants(type);

        public void OnRecord(
            bool fromClient, ReadOnlySpan<byte> header, ReadOnlySpan<byte> body, bool bodyKept, DateTime time) =>
            Records.Add((fromClient, header.ToArray(), body.ToArray(), bodyKept));
    }
}
