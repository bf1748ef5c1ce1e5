using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using ShadowMcp.Portal.Config;
using ShadowMcp.Portal.Tests.Fixtures;

namespace ShadowMcp.Portal.Tests.Gateway;

/// <summary>
/// The per-user session cap against initialize bodies sent in other shapes on the wire: encodings, compression,
/// chunked framing, bodies above the buffering threshold. Whatever the MCP SDK opens a session for must be counted.
/// </summary>
[Category("Integration")]
public sealed class SessionLimitBodyEncodingTests
{
    private const string Initialize = "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-11-25\",\"capabilities\":{},\"clientInfo\":{\"name\":\"raw\",\"version\":\"1\"}";

    private static readonly byte[] Plain = Encoding.UTF8.GetBytes(Initialize + "}}");

    public static IEnumerable<TestCaseData> Bodies()
    {
        yield return new TestCaseData((Func<HttpContent>)(() => Bytes([0xEF, 0xBB, 0xBF, .. Plain], "application/json"))).SetName("Utf8Bom");
        yield return new TestCaseData((Func<HttpContent>)(() => Bytes(Encoding.Unicode.GetBytes(Initialize + "}}"), "application/json; charset=utf-16"))).SetName("Utf16");
        yield return new TestCaseData((Func<HttpContent>)(() => Bytes([0xFF, 0xFE, .. Encoding.Unicode.GetBytes(Initialize + "}}")], "application/json; charset=utf-16"))).SetName("Utf16Bom");
        yield return new TestCaseData((Func<HttpContent>)(() => Bytes(Plain, "text/plain; charset=latin1"))).SetName("OtherContentType");
        yield return new TestCaseData((Func<HttpContent>)(() => Gzip(Plain))).SetName("Gzip");
        yield return new TestCaseData((Func<HttpContent>)(() => Chunked(Plain))).SetName("Chunked");
        yield return new TestCaseData((Func<HttpContent>)(() => Chunked(Encoding.UTF8.GetBytes(Initialize + ",\"_x\":\"" + new string('x', 200_000) + "\"}}")))).SetName("ChunkedAboveBufferThreshold");
        yield return new TestCaseData((Func<HttpContent>)(() => Bytes(Encoding.UTF8.GetBytes(Initialize + ",\"_x\":\"" + new string('x', 200_000) + "\"}}"), "application/json"))).SetName("AboveBufferThreshold");
        yield return new TestCaseData((Func<HttpContent>)(() => Bytes(Encoding.UTF8.GetBytes("/*c*/" + Initialize + "}}"), "application/json"))).SetName("Comment");
        yield return new TestCaseData((Func<HttpContent>)(() => Bytes(Encoding.UTF8.GetBytes(Initialize + "},}"), "application/json"))).SetName("TrailingComma");
        yield return new TestCaseData((Func<HttpContent>)(() => Bytes(Encoding.UTF8.GetBytes("{\"jsonrpc\":\"2.0\",\"id\":\"7\",\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-11-25\",\"capabilities\":{},\"clientInfo\":{\"name\":\"raw\",\"version\":\"1\"}}}"), "application/json"))).SetName("StringId");
        yield return new TestCaseData((Func<HttpContent>)(() => Bytes(Encoding.UTF8.GetBytes("{\"jsonrpc\":\"2.0\",\"id\":7e0,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-11-25\",\"capabilities\":{},\"clientInfo\":{\"name\":\"raw\",\"version\":\"1\"}}}"), "application/json"))).SetName("ExponentId");
        yield return new TestCaseData((Func<HttpContent>)(() => Bytes(Encoding.UTF8.GetBytes("{\"jsonrpc\":\"2.0\",\"id\":true,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-11-25\",\"capabilities\":{},\"clientInfo\":{\"name\":\"raw\",\"version\":\"1\"}}}"), "application/json"))).SetName("BoolId");
        yield return new TestCaseData((Func<HttpContent>)(() => Bytes(Encoding.UTF8.GetBytes("{\"jsonrpc\":\"2.0\",\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-11-25\",\"capabilities\":{},\"clientInfo\":{\"name\":\"raw\",\"version\":\"1\"}}}"), "application/json"))).SetName("NoId");
    }

    [TestCaseSource(nameof(Bodies))]
    public async Task InitializeOnTheWire_NeverExceedsTheCap(Func<HttpContent> content)
    {
        await using var upstream = await UpstreamServer.StartAsync();
        var portal = await PortalFixture.StartAsync(Config(upstream));
        try
        {
            using var http = new HttpClient(new SocketsHttpHandler { AutomaticDecompression = DecompressionMethods.None });
            var token = portal.CreateToken("dev", name: "wire");
            var made = new List<string>();
            for (var i = 0; i < 4; i++)
            {
                using var request = Request(portal, token, content());
                using var response = await http.SendAsync(request);
                if (response.Headers.TryGetValues("Mcp-Session-Id", out var ids)) made.Add(ids.Single());
            }
            var alive = 0;
            foreach (var id in made)
                if (await PingAsync(http, portal, token, id) == HttpStatusCode.OK) alive++;
            Assert.That(alive, Is.LessThanOrEqualTo(2), $"sessions made: {made.Count}");
        }
        finally { await portal.DisposeAsync(); }
    }

    /// <summary>An initialize carrying a session id the portal never issued (or an empty one) is not counted by the
    /// cap's initialize path; the SDK must not open a session for it either.</summary>
    [TestCase("not-a-session")]
    [TestCase("a, b")]
    public async Task InitializeWithAnUnknownSessionId_OpensNoSession(string sessionId)
    {
        await using var upstream = await UpstreamServer.StartAsync();
        var portal = await PortalFixture.StartAsync(Config(upstream));
        try
        {
            using var http = new HttpClient();
            var token = portal.CreateToken("dev", name: "unknown");
            var made = new List<string>();
            for (var i = 0; i < 4; i++)
            {
                using var request = Request(portal, token, Bytes(Plain, "application/json"));
                request.Headers.TryAddWithoutValidation("Mcp-Session-Id", sessionId);
                using var response = await http.SendAsync(request);
                if (response.Headers.TryGetValues("Mcp-Session-Id", out var ids)) made.Add(ids.Single());
            }
            var alive = 0;
            foreach (var id in made.Distinct())
                if (await PingAsync(http, portal, token, id) == HttpStatusCode.OK) alive++;
            Assert.That(alive, Is.Zero, $"sessions made: {made.Count}");
        }
        finally { await portal.DisposeAsync(); }
    }

    [Test]
    public async Task ChunkedBodyOverLimit_Is413AndOpensNoSession()
    {
        await using var upstream = await UpstreamServer.StartAsync();
        var config = Config(upstream);
        config.Portal.MaxRequestBytes = 4096;
        var portal = await PortalFixture.StartAsync(config);
        try
        {
            using var http = new HttpClient();
            var token = portal.CreateToken("dev", name: "big");
            using var request = Request(portal, token, Chunked(Encoding.UTF8.GetBytes(Initialize + ",\"_x\":\"" + new string('x', 8000) + "\"}}")));
            request.Headers.ConnectionClose = true;
            using var response = await http.SendAsync(request);
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge), await response.Content.ReadAsStringAsync());
            Assert.That(response.Headers.Contains("Mcp-Session-Id"), Is.False);
        }
        finally { await portal.DisposeAsync(); }
    }

    private static ByteArrayContent Bytes(byte[] body, string contentType)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return content;
    }

    private static HttpContent Gzip(byte[] body)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true)) gzip.Write(body);
        var content = Bytes(buffer.ToArray(), "application/json");
        content.Headers.ContentEncoding.Add("gzip");
        return content;
    }

    /// <summary>No Content-Length: HttpClient sends the body chunked.</summary>
    private static HttpContent Chunked(byte[] body)
    {
        var content = new StreamContent(new UnseekableStream(body));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    private static PortalConfig Config(UpstreamServer upstream) => SessionLimitAttackTests.Config(upstream, maxSessions: 8, perUser: 2);

    private static Task<HttpStatusCode> PingAsync(HttpClient http, PortalFixture portal, string token, string session) =>
        SessionLimitAttackTests.PingAsync(http, portal, token, session);

    private static HttpRequestMessage Request(PortalFixture portal, string token, HttpContent content) =>
        SessionLimitAttackTests.McpRequest(HttpMethod.Post, portal, token, null, content);

    private sealed class UnseekableStream(byte[] body) : Stream
    {
        private int _at;
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = Math.Min(Math.Min(count, 1000), body.Length - _at);
            Array.Copy(body, _at, buffer, offset, n);
            _at += n;
            return n;
        }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
