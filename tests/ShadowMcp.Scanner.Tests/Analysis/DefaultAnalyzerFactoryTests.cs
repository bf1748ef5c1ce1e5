using System.Text;
using ShadowMcp.Core.Observations;
using ShadowMcp.Scanner.Analysis;
using ShadowMcp.Scanner.Dns;
using ShadowMcp.Scanner.Http;
using ShadowMcp.Scanner.Sessions;
using ShadowMcp.Scanner.Tls;

namespace ShadowMcp.Scanner.Tests.Analysis;

public class DefaultAnalyzerFactoryTests
{
    private static readonly DefaultAnalyzerFactory Factory = new(new ObservationList(), "t");

    private static ITcpStreamAnalyzer? Create(string first, bool fromInitiator = true, int port = 8123) =>
        Factory.CreateTcp(new FlowEndpoints("10.0.0.7", 51000, "10.0.0.5", port, "tcp"), fromInitiator, Encoding.ASCII.GetBytes(first));

    [TestCase("POST /mcp HTTP/1.1\r\n")]
    [TestCase("GET / HTTP/1.0\r\n")]
    [TestCase("OPTIONS * HTTP/1.1\r\n")]
    [TestCase("HTTP/1.1 200 OK\r\n")]
    [TestCase("DELETE /x HTTP/1.1")]
    public void CreateTcp_HttpStartLine_ReturnsHttpAnalyzer(string first) =>
        Assert.That(Create(first), Is.TypeOf<HttpAnalyzer>());

    [TestCase("SSH-2.0-OpenSSH_9.6\r\n")]
    [TestCase("GETX / HTTP")]
    [TestCase("220 smtp.example ESMTP\r\n")]
    [TestCase("")]
    public void CreateTcp_OtherProtocols_ReturnsNull(string first) =>
        Assert.That(Create(first), Is.Null);

    [Test]
    public void CreateTcp_MidStreamPayloadWithAnHttpLine_ReturnsHttpAnalyzer() =>
        Assert.That(Create("rest of a body\r\nHTTP/1.1 200 OK\r\n", fromInitiator: false), Is.TypeOf<HttpAnalyzer>());

    [Test]
    public void CreateTcp_TlsHandshakeRecord_OnlyFromTheInitiator()
    {
        var endpoints = new FlowEndpoints("10.0.0.7", 51000, "10.0.0.5", 443, "tcp");
        byte[] record = [0x16, 0x03, 0x01, 0x02, 0x00, 0x01];
        Assert.Multiple(() =>
        {
            Assert.That(Factory.CreateTcp(endpoints, true, record), Is.TypeOf<TlsAnalyzer>());
            Assert.That(Factory.CreateTcp(endpoints, false, record), Is.Null);
            Assert.That(Factory.CreateTcp(endpoints, true, [0x16, 0x03, 0x05, 0, 1]), Is.Null);
        });
    }

    [Test]
    public void CreateTcp_Port53EitherSide_ReturnsDnsOverTcp()
    {
        byte[] framed = [0x00, 0x1d, 0x12, 0x34];
        Assert.Multiple(() =>
        {
            Assert.That(Factory.CreateTcp(new FlowEndpoints("a", 1, "b", 53, "tcp"), true, framed), Is.TypeOf<DnsTcpAnalyzer>());
            Assert.That(Factory.CreateTcp(new FlowEndpoints("b", 53, "a", 1, "tcp"), true, framed), Is.TypeOf<DnsTcpAnalyzer>());
        });
    }

    [Test]
    public void Constructor_InvalidOptions_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new DefaultAnalyzerFactory(new ObservationList(), "t", new AnalyzerOptions { MaxHeaders = 0 }));
}
