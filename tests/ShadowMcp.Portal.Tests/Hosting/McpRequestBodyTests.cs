using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using ShadowMcp.Portal.Hosting;

namespace ShadowMcp.Portal.Tests.Hosting;

/// <summary>The one pass over a POST /mcp body that the parse guard and the session cap both use.</summary>
public sealed class McpRequestBodyTests
{
    [TestCase("""{"jsonrpc":"2.0","id":7,"method":"initialize","params":{}}""", "7")]
    [TestCase("""{"jsonrpc":"2.0","method":"initialize","params":{},"id":"a"}""", "\"a\"")]
    [TestCase("""{"jsonrpc":"2.0","method":"initialize"}""", "null")]
    [TestCase("""{"id":1,"method":"ping","method":"initialize"}""", "1")]
    [TestCase("""{"id":1,"method":["x"],"method":"initialize"}""", "1")]
    [TestCase("""{"id":1,"method":{"a":[1]},"method":"initialize"}""", "1")]
    [TestCase("""{"id":1,"\u006dethod":"initi\u0061lize"}""", "1")]
    public void Initialize_IsFoundWithItsId(string body, string id)
    {
        var read = McpRequestBody.Parse(Encoding.UTF8.GetBytes(body));
        Assert.That(read.IsJson, Is.True);
        Assert.That(read.InitializeId?.GetRawText(), Is.EqualTo(id));
    }

    [TestCase("""{"id":1,"method":"ping"}""")]
    [TestCase("""{"id":1,"params":{"method":"initialize"},"method":"ping"}""")]
    // A nested member is not a top-level one, even right after a method whose value is an object.
    [TestCase("""{"id":1,"method":{"method":"initialize"}}""")]
    [TestCase("""[{"id":1,"method":"initialize"}]""")]
    [TestCase("""{"id":1,"Method":"initialize"}""")]
    [TestCase("""{"id":1,"method":"initialize2"}""")]
    [TestCase("\"initialize\"")]
    public void OtherBodies_AreNoInitialize(string body)
    {
        var read = McpRequestBody.Parse(Encoding.UTF8.GetBytes(body));
        Assert.That(read.IsJson, Is.True);
        Assert.That(read.InitializeId, Is.Null);
    }

    [TestCase("""{"id":1,"method":"initialize"} x""")]
    [TestCase("""{"id":1,"method":"initialize"}{}""")]
    [TestCase("""{"id":1,"method":"initialize",}""")]
    [TestCase("""{"id":1,"method":"initialize" """)]
    [TestCase("   ")]
    [TestCase("\u00ff")]
    public void MalformedBodies_AreNotJson_AndNoInitialize(string body)
    {
        var read = McpRequestBody.Parse(Encoding.UTF8.GetBytes(body));
        Assert.That(read.IsJson, Is.False);
        Assert.That(read.InitializeId, Is.Null);
    }

    [Test]
    public void DeepNesting_IsNotJson()
    {
        var body = new string('[', 300) + new string(']', 300);
        Assert.That(McpRequestBody.Parse(Encoding.UTF8.GetBytes(body)).IsJson, Is.False);
    }

    [Test]
    public void EmptyBody_IsLeftToTheEndpoint()
    {
        var read = McpRequestBody.Parse([]);
        Assert.That(read.IsJson, Is.True);
        Assert.That(read.InitializeId, Is.Null);
    }

    [Test]
    public async Task ReadAsync_ReadsTheBodyOnce_AndRewindsItForTheEndpoint()
    {
        var bytes = Encoding.UTF8.GetBytes("""{"jsonrpc":"2.0","id":3,"method":"initialize"}""");
        var context = new DefaultHttpContext();
        var body = new CountingStream(bytes);
        context.Request.Body = body;

        var first = await McpRequestBody.ReadAsync(context, 1 << 20);
        var second = await McpRequestBody.ReadAsync(context, 1 << 20);

        Assert.That(second, Is.SameAs(first));
        Assert.That(body.BytesRead, Is.EqualTo(bytes.Length), "the client's stream is read once");
        Assert.That(context.Request.Body.Position, Is.Zero);
        using var rest = new StreamReader(context.Request.Body);
        Assert.That(await rest.ReadToEndAsync(), Is.EqualTo(Encoding.UTF8.GetString(bytes)));
        Assert.That(first.InitializeId?.GetInt32(), Is.EqualTo(3));
    }

    /// <summary>A forward-only request stream that counts what was read from it, as Kestrel's is.</summary>
    private sealed class CountingStream(byte[] data) : Stream
    {
        private readonly MemoryStream _inner = new(data);
        public long BytesRead { get; private set; }
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = _inner.Read(buffer, offset, count);
            BytesRead += n;
            return n;
        }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
