using ShadowMcp.Scanner.Decryption;

namespace ShadowMcp.Scanner.Tests.Tls;

public class TlsKeyLogTests
{
    private static readonly string RandomA = new('a', 64);
    private static readonly string RandomB = new('b', 64);
    private static readonly string Secret48 = new('1', 96);
    private static readonly string Secret32 = new('2', 64);

    [Test]
    public void AddText_AllLabels_StoresEachSecretUnderItsClientRandom()
    {
        var log = new TlsKeyLog();
        log.AddText("k", $"# comment\n\nCLIENT_RANDOM {RandomA} {Secret48}\r\nCLIENT_HANDSHAKE_TRAFFIC_SECRET {RandomB} {Secret32}\n"
            + $"SERVER_HANDSHAKE_TRAFFIC_SECRET {RandomB} {Secret32}\nCLIENT_TRAFFIC_SECRET_0 {RandomB} {Secret32}\n"
            + $"SERVER_TRAFFIC_SECRET_0 {RandomB} {Secret32}\nEXPORTER_SECRET {RandomB} {Secret32}\nCLIENT_TRAFFIC_SECRET_N {RandomB} {Secret32}\n");

        Assert.Multiple(() =>
        {
            Assert.That(log.Errors, Is.Empty);
            Assert.That(log.Sessions, Is.EqualTo(2));
            Assert.That(log.TryGet(Convert.FromHexString(RandomA), out var a) && a.MasterSecret!.Length == 48, Is.True);
            Assert.That(log.TryGet(Convert.FromHexString(RandomB), out var b) && b.ServerTrafficSecret0 is not null
                && b.ClientHandshakeTrafficSecret is not null, Is.True);
        });
    }

    [Test]
    public void AddText_GarbageLines_AreCountedAndNamedWithTheirLine()
    {
        var log = new TlsKeyLog();
        log.AddText("keys.log", $"CLIENT_RANDOM {RandomA}\nCLIENT_RANDOM {RandomA[..62]} {Secret48}\nCLIENT_RANDOM {RandomA} {Secret32}\n"
            + $"\u0001BOGUS {RandomA} {Secret32}\nCLIENT_RANDOM {RandomA} {Secret48}\n");

        Assert.That(log.Errors.Select(e => e.ToString()), Is.EqualTo(new[]
        {
            "keys.log:1: expected 'LABEL CLIENT_RANDOM SECRET'",
            "keys.log:2: client random is not 32 bytes of hex",
            "keys.log:3: CLIENT_RANDOM secret is not hex of the right length",
            "keys.log:4: unknown label '?BOGUS'",
        }));
        Assert.That((log.MalformedLines, log.Sessions), Is.EqualTo((4L, 1)));
    }

    [Test]
    public void TryGet_GrowingFile_ReadsLinesAppendedLaterIncludingAHalfWrittenOne()
    {
        var path = Path.GetTempFileName();
        try
        {
            var second = $"CLIENT_RANDOM {RandomB} {Secret48}\n";
            File.WriteAllText(path, $"CLIENT_RANDOM {RandomA} {Secret48}\n" + second[..20]);
            var log = new TlsKeyLog();
            log.AddFile(path);
            Assert.That(log.TryGet(Convert.FromHexString(RandomB), out _), Is.False, "half a line is not read yet");

            File.AppendAllText(path, second[20..]);

            Assert.That(log.TryGet(Convert.FromHexString(RandomB), out _), Is.True);
            Assert.That(log.Errors, Is.Empty);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void Refresh_FileRewrittenShorter_IsReadAgainFromTheStart()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, $"CLIENT_RANDOM {RandomA} {Secret48}\nCLIENT_RANDOM {RandomA} {Secret48}\n");
            var log = new TlsKeyLog();
            log.AddFile(path);
            File.WriteAllText(path, $"CLIENT_RANDOM {RandomB} {Secret48}\n");

            log.Refresh();

            Assert.That(log.TryGet(Convert.FromHexString(RandomB), out _), Is.True);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void AddFile_Missing_IsAnErrorNamingTheFile()
    {
        var log = new TlsKeyLog();
        var path = Path.Combine(Path.GetTempPath(), "shadowmcp-no-such-keylog-" + Guid.NewGuid());

        log.AddFile(path);

        Assert.That(log.Errors.Single().File, Is.EqualTo(path));
        Assert.That(log.Errors.Single().Reason, Does.StartWith("cannot read"));
    }
}
