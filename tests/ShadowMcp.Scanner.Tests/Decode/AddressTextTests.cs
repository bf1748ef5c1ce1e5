using ShadowMcp.Scanner.Decode;

namespace ShadowMcp.Scanner.Tests.Decode;

/// <summary>Flow ends are named from a per-thread table: the same canonical text as before, made once per address.</summary>
public class AddressTextTests
{
    [TestCase("10.0.0.5")]
    [TestCase("2001:db8::1")]
    [TestCase("::ffff:192.0.2.1")]
    [TestCase("fe80::1:0:0:0")]
    public void Of_GivesCanonicalTextAndTheSameStringAgain(string address)
    {
        var parsed = IpAddress.Parse(address);
        var first = AddressText.Of(parsed);

        Assert.That(first, Is.EqualTo(parsed.ToString()));
        Assert.That(first, Is.EqualTo(System.Net.IPAddress.Parse(address).ToString()));
        Assert.That(AddressText.Of(IpAddress.Parse(address)), Is.SameAs(first));
    }
}
