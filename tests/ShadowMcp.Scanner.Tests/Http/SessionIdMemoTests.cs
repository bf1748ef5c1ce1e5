using System.Text;
using ShadowMcp.Scanner.Http;

namespace ShadowMcp.Scanner.Tests.Http;

/// <summary>A connection's repeated session id is one string; any other value, or non-ASCII bytes, decode as before.</summary>
public class SessionIdMemoTests
{
    [Test]
    public void Text_SameIdAgain_IsTheSameString()
    {
        var memo = new SessionIdMemo();
        var first = memo.Text("6f1c2a77d0b94d4c9c1f0c7a5e2b9d11"u8);

        Assert.That(memo.Text("6f1c2a77d0b94d4c9c1f0c7a5e2b9d11"u8), Is.SameAs(first));
        Assert.That(memo.Text("6f1c2a77d0b94d4c9c1f0c7a5e2b9d12"u8), Is.EqualTo("6f1c2a77d0b94d4c9c1f0c7a5e2b9d12"));
    }

    [Test]
    public void Text_NonAsciiOrInvalidBytes_DecodeLikeUtf8()
    {
        var memo = new SessionIdMemo();
        byte[] invalid = [0x61, 0xFF, 0x62];
        byte[] accented = Encoding.UTF8.GetBytes("sé");

        Assert.That(memo.Text(invalid), Is.EqualTo(Encoding.UTF8.GetString(invalid)));
        Assert.That(memo.Text(invalid), Is.EqualTo("a\uFFFDb"));
        Assert.That(memo.Text(accented), Is.EqualTo("sé"));
    }

    [Test]
    public void Text_NextConnectionOfTheSameSession_GetsTheSameStringAndOtherSessionsTheirOwn()
    {
        var first = new SessionIdMemo().Text("a1b2c3d4e5f60718293a4b5c6d7e8f90"u8);
        var next = new SessionIdMemo();

        Assert.That(next.Text("a1b2c3d4e5f60718293a4b5c6d7e8f90"u8), Is.SameAs(first));
        Assert.That(next.Text("a1b2c3d4e5f60718293a4b5c6d7e8f91"u8), Is.EqualTo("a1b2c3d4e5f60718293a4b5c6d7e8f91"));
        Assert.That(new SessionIdMemo().Text("ffff"u8), Is.EqualTo("ffff"));
    }
}
