using ShadowMcp.Core.Observations;
using ShadowMcp.Scanner.Capture;
using ShadowMcp.Scanner.Tests.Capture.Writers;
using ShadowMcp.Scanner.Tests.Reassembly.Doubles;

namespace ShadowMcp.Scanner.Tests.Capture;

/// <summary>Captures tcpdump wrote of loopback HTTP traffic (see data/README.md).</summary>
public class RealCaptureTests
{
    private const string InitializeBody =
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"curl\",\"version\":\"1\"}}}";
    private const string InitializeResult =
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"protocolVersion\":\"2025-06-18\",\"serverInfo\":{\"name\":\"loop\",\"version\":\"1\"}}}";

    [Test]
    public void Scan_TcpdumpLoopbackNanosecondPcap_ReassemblesBothConnections()
    {
        var factory = new RecordingFactory();
        var stats = new ScanStats();

        var result = new CaptureFileScanner().Scan(TestCaptures.Path("loopback.pcap"), factory, stats);

        Assert.That(result.Completed, Is.True, result.Error?.Message);
        Assert.That((stats.Packets, stats.Flows, stats.Malformed, stats.GapBytes), Is.EqualTo((24L, 2L, 0L, 0L)));
        Assert.That(factory.Created, Has.Count.EqualTo(2));
        Assert.That(factory.Created.Select(a => a.Endpoints.Initiator), Is.EqualTo(new[] { "127.0.0.1", "::1" }));
        foreach (var analyzer in factory.Created)
        {
            Assert.That(analyzer.Endpoints.ResponderPort, Is.EqualTo(18080));
            Assert.That(analyzer.InitiatorText, Does.StartWith("POST /mcp HTTP/1.1\r\n").And.EndWith("\r\n\r\n" + InitializeBody));
            Assert.That(analyzer.ResponderText, Does.StartWith("HTTP/1.1 200 OK\r\n").And.EndWith("\r\n\r\n" + InitializeResult));
            Assert.That(analyzer.CloseCount, Is.EqualTo(1));
        }
    }

    [Test]
    public void TryReadFrame_TcpdumpNanosecondPcap_GivesExactFirstTimestamp()
    {
        var (frames, error) = ReadFrames.From(File.ReadAllBytes(TestCaptures.Path("loopback.pcap")));

        Assert.That(error, Is.Null);
        // tshark: frame.time_epoch 1795673052.596419343
        Assert.That(frames[0].Time, Is.EqualTo(DateTime.UnixEpoch.AddSeconds(1795673052).AddTicks(5_964_193)));
        Assert.That(frames[0].LinkType, Is.EqualTo(LinkTypes.Ethernet));
    }

    [Test]
    public void Scan_TcpdumpAnyInterfaceSll2_ReassemblesTheRequest()
    {
        var factory = new RecordingFactory();

        var result = new CaptureFileScanner().Scan(TestCaptures.Path("any-sll2.pcap"), factory, new ScanStats());

        Assert.That(result.Completed, Is.True, result.Error?.Message);
        Assert.That(factory.Single.InitiatorText, Does.EndWith("\r\n\r\n{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/list\"}"));
        Assert.That(factory.Single.ResponderText, Does.EndWith(InitializeResult));
    }

    [Test]
    public void Scan_MergecapPcapNgWithTwoLinkTypes_ReadsEveryInterface()
    {
        var factory = new RecordingFactory();
        var stats = new ScanStats();

        var result = new CaptureFileScanner().Scan(TestCaptures.Path("merged.pcapng"), factory, stats);

        Assert.That(result.Completed, Is.True, result.Error?.Message);
        Assert.That((stats.Packets, stats.Flows, stats.Malformed), Is.EqualTo((36L, 3L, 0L)));
        Assert.That(factory.Created.Select(a => a.InitiatorText.Split("\r\n")[0]), Is.All.EqualTo("POST /mcp HTTP/1.1"));
        var (frames, _) = ReadFrames.From(File.ReadAllBytes(TestCaptures.Path("merged.pcapng")));
        Assert.That(frames.Select(f => f.LinkType).Distinct(), Is.EquivalentTo(new[] { LinkTypes.Ethernet, LinkTypes.LinuxSll2 }));
        Assert.That(frames[0].Time, Is.EqualTo(DateTime.UnixEpoch.AddSeconds(1795673052).AddTicks(5_964_193)));
    }
}
