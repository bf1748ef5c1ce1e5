using System.Text;
using ShadowMcp.Scanner.Tls;

namespace ShadowMcp.Scanner.Tests.Tls;

/// <summary>The SNI and ALPN strings of a ClientHello: read as ASCII, lower-cased, trailing dots cut, and the same
/// string again when the next connection names the same server.</summary>
public class ClientHelloServerNameTests
{
    [Test]
    public void Parse_NameWithCapitalsTrailingDotsAndANonAsciiByte_ReadsAsAsciiLowerCaseTrimmed()
    {
        var hello = ClientHelloBytes.Hello("Caf?.Example.COM..", ["h2"], null);
        int mark = Array.IndexOf(hello, (byte)'?');
        hello[mark] = 0xE9;
        var raw = hello.AsSpan(mark - 3, "Caf?.Example.COM..".Length).ToArray();

        var parsed = ClientHelloParser.Parse(hello.AsSpan(4));

        Assert.That(parsed!.ServerName, Is.EqualTo(Encoding.ASCII.GetString(raw).TrimEnd('.').ToLowerInvariant()));
        Assert.That(parsed.ServerName, Is.EqualTo("caf?.example.com"));
        Assert.That(parsed.Alpn, Is.EqualTo(new[] { "h2" }));
    }

    [Test]
    public void Parse_NextConnectionToTheSameServer_SameStrings_OtherServerItsOwn()
    {
        var first = ClientHelloParser.Parse(ClientHelloBytes.Hello("Tools.Example.NET", ["http/1.1"], null).AsSpan(4))!;
        var again = ClientHelloParser.Parse(ClientHelloBytes.Hello("tools.example.net.", ["http/1.1"], null).AsSpan(4))!;
        var other = ClientHelloParser.Parse(ClientHelloBytes.Hello("tools.example.org", ["h2"], null).AsSpan(4))!;
        var dots = ClientHelloParser.Parse(ClientHelloBytes.Hello("..", [], null).AsSpan(4))!;

        Assert.That(again.ServerName, Is.SameAs(first.ServerName));
        Assert.That(again.Alpn[0], Is.SameAs(first.Alpn[0]));
        Assert.That((other.ServerName, other.Alpn[0]), Is.EqualTo(("tools.example.org", "h2")));
        Assert.That(dots.ServerName, Is.EqualTo(""));
    }
}
