using ShadowMcp.Core.Observations;
using ShadowMcp.Scanner.Capture;
using ShadowMcp.Scanner.Decode;
using ShadowMcp.Scanner.Tests.Capture.Writers;
using ShadowMcp.Scanner.Tests.Decode.Builders;
using ShadowMcp.Scanner.Tests.Reassembly.Doubles;

namespace ShadowMcp.Scanner.Tests.Capture;

public class CaptureFileScannerTests
{
    private static readonly DateTime T0 = new(2025, 5, 1, 8, 0, 0, DateTimeKind.Utc);
    private readonly List<string> _files = [];

    [TearDown]
    public void DeleteFiles()
    {
        foreach (var file in _files) File.Delete(file);
    }

    private string WriteFile(byte[] content, string extension = ".pcap")
    {
        var path = Path.Combine(Path.GetTempPath(), $"shadowmcp-{Guid.NewGuid():N}{extension}");
        File.WriteAllBytes(path, content);
        _files.Add(path);
        return path;
    }

    private static PcapWriter Conversation()
    {
        var c = new TcpConversation();
        var writer = new PcapWriter(LinkTypes.Ethernet);
        writer.Add(T0, c.FromClient(100, "", TcpFlags.Syn))
            .Add(T0.AddMilliseconds(1), c.FromServer(500, "", TcpFlags.Syn | TcpFlags.Ack, 101))
            .Add(T0.AddMilliseconds(2), c.FromClient(101, "POST /mcp HTTP/1.1\r\n"))
            .Add(T0.AddMilliseconds(3), c.FromClient(121, "Host: x\r\n\r\n"))
            .Add(T0.AddMilliseconds(4), c.FromServer(501, "HTTP/1.1 200 OK\r\n"))
            .Add(T0.AddMilliseconds(5), c.FromServer(518, "Content-Type: text/event-stream\r\n\r\n"));
        return writer;
    }

    [Test]
    public void Scan_CompleteFile_CompletesAndFlushesFlows()
    {
        var path = WriteFile(Conversation().ToArray());
        var factory = new RecordingFactory();
        var stats = new ScanStats();

        var result = new CaptureFileScanner().Scan(path, factory, stats);

        Assert.That(result.Status, Is.EqualTo(ScanStatus.Completed));
        Assert.That(result.Error, Is.Null);
        Assert.That(factory.Single.InitiatorText, Is.EqualTo("POST /mcp HTTP/1.1\r\nHost: x\r\n\r\n"));
        Assert.That(factory.Single.ResponderText, Is.EqualTo("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n\r\n"));
        Assert.That(factory.Single.CloseCount, Is.EqualTo(1));
        Assert.That(factory.Single.ClosedAt, Is.EqualTo(T0.AddMilliseconds(5)));
        Assert.That((stats.Files, stats.Packets, stats.Flows), Is.EqualTo((1L, 6L, 1L)));
    }

    [Test]
    public void Scan_TruncatedFile_KeepsWhatCameBeforeAndNamesFileAndOffset()
    {
        var writer = Conversation();
        var file = writer.ToArray();
        var path = WriteFile(file[..^10]);
        var factory = new RecordingFactory();
        var stats = new ScanStats();

        var result = new CaptureFileScanner().Scan(path, factory, stats);

        Assert.That(result.Status, Is.EqualTo(ScanStatus.Failed));
        Assert.That(result.Error!.Kind, Is.EqualTo(CaptureErrorKind.Truncated));
        Assert.That(result.Error.File, Is.EqualTo(path));
        Assert.That(result.Error.Offset, Is.EqualTo(writer.RecordOffsets[5]));
        Assert.That(result.Error.Message, Does.Contain(path).And.Contain($"offset {writer.RecordOffsets[5]}"));
        Assert.That(factory.Single.ResponderText, Is.EqualTo("HTTP/1.1 200 OK\r\n"));
        Assert.That(factory.Single.CloseCount, Is.EqualTo(1), "open flows are flushed even when the file is cut");
        Assert.That(stats.Packets, Is.EqualTo(5));
    }

    [Test]
    public void Scan_EveryTruncationPrefix_NeverThrowsAndDeliversAPrefixOfTheStream()
    {
        var writer = Conversation();
        var file = writer.ToArray();
        const string fullRequest = "POST /mcp HTTP/1.1\r\nHost: x\r\n\r\n";

        for (int length = 0; length <= file.Length; length++)
        {
            var factory = new RecordingFactory();
            var result = new CaptureFileScanner().Scan(new MemoryStream(file[..length]), "cut.pcap", factory, new ScanStats());

            if (length == 0) Assert.That(result.Error!.Kind, Is.EqualTo(CaptureErrorKind.NotACapture));
            else if (length == 24 || writer.RecordOffsets.Contains(length) || length == file.Length) Assert.That(result.Completed, Is.True, $"prefix {length}");
            else Assert.That(result.Error!.Kind, Is.EqualTo(CaptureErrorKind.Truncated), $"prefix {length}");
            foreach (var analyzer in factory.Created)
            {
                Assert.That(fullRequest.StartsWith(analyzer.InitiatorText, StringComparison.Ordinal), Is.True, $"prefix {length}: {analyzer.InitiatorText}");
                Assert.That(analyzer.CloseCount, Is.EqualTo(1), $"prefix {length}");
            }
        }
    }

    [Test]
    public void Scan_TextFile_FailsNamingTheFile()
    {
        var path = WriteFile("{\"jsonrpc\":\"2.0\"}"u8.ToArray(), ".json");

        var result = new CaptureFileScanner().Scan(path, new RecordingFactory(), new ScanStats());

        Assert.That(result.Status, Is.EqualTo(ScanStatus.Failed));
        Assert.That(result.Error!.Kind, Is.EqualTo(CaptureErrorKind.NotACapture));
        Assert.That(result.Error.Message, Is.EqualTo($"{path}: not a pcap or pcapng file: first bytes 7B226A736F6E7270"));
    }

    [Test]
    public void Scan_MissingFile_FailsWithIoError()
    {
        var path = Path.Combine(Path.GetTempPath(), $"missing-{Guid.NewGuid():N}.pcap");

        var result = new CaptureFileScanner().Scan(path, new RecordingFactory(), new ScanStats());

        Assert.That(result.Error!.Kind, Is.EqualTo(CaptureErrorKind.Io));
        Assert.That(result.Error.Message, Does.Contain(path));
    }

    [Test]
    public void Scan_UnsupportedLinkType_FailsNamingTypeAndFile()
    {
        var path = WriteFile(new PcapWriter(linkType: 9).Add(T0, [1, 2, 3]).ToArray());

        var result = new CaptureFileScanner().Scan(path, new RecordingFactory(), new ScanStats());

        Assert.That(result.Error!.Kind, Is.EqualTo(CaptureErrorKind.UnsupportedLinkType));
        Assert.That(result.Error.Message, Does.Contain(path).And.Contain("link type 9"));
    }

    [Test]
    public void Scan_PcapNgWithSeveralLinkTypes_JoinsOneConnectionSeenOnEachInterface()
    {
        var c = new TcpConversation();
        var syn = c.FromClient(100, "", TcpFlags.Syn);
        var first = c.FromClient(101, "abc");
        var second = c.FromClient(104, "def");
        var writer = new PcapNgWriter()
            .Interface(LinkTypes.Ethernet)
            .Interface(LinkTypes.LinuxSll2, timestampResolution: 9)
            .Interface(LinkTypes.Raw)
            .EnhancedPacket(0, 1, syn)
            .EnhancedPacket(1, 2_000, Packet.LinuxSll2(first[14..]))
            .EnhancedPacket(2, 3, second[14..]);
        var factory = new RecordingFactory();

        var result = new CaptureFileScanner().Scan(WriteFile(writer.ToArray(), ".pcapng"), factory, new ScanStats());

        Assert.That(result.Completed, Is.True);
        Assert.That(factory.Single.InitiatorText, Is.EqualTo("abcdef"));
    }

    [Test]
    public void Scan_Progress_ReportsTheWholeFileAtTheEnd()
    {
        var file = Conversation().ToArray();
        var progress = new RecordingProgress();

        new CaptureFileScanner().Scan(WriteFile(file), new RecordingFactory(), new ScanStats(), progress);

        Assert.That(progress.Reports[^1], Is.EqualTo(((long)file.Length, (long)file.Length)));
    }

    [Test]
    public void Scan_Cancelled_StopsAndStillFlushesFlows()
    {
        var c = new TcpConversation();
        var writer = new PcapWriter(LinkTypes.Ethernet);
        for (uint i = 0; i < 5000; i++) writer.Add(T0.AddMilliseconds(i), c.FromClient(1 + i, "x"));
        var factory = new RecordingFactory();
        var stats = new ScanStats();

        var result = new CaptureFileScanner().Scan(WriteFile(writer.ToArray()), factory, stats, ct: new CancellationToken(canceled: true));

        Assert.That(result.Status, Is.EqualTo(ScanStatus.Canceled));
        Assert.That(stats.Packets, Is.LessThan(5000));
        Assert.That(factory.Single.CloseCount, Is.EqualTo(1));
    }

    private sealed class RecordingProgress : IProgress<(long done, long total)>
    {
        public List<(long, long)> Reports { get; } = [];

        public void Report((long done, long total) value) => Reports.Add(value);
    }
}
