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

    [Test]
    public void Of_AfterManyMoreAddressesThanKept_AnAddressInUseStaysTheSameString()
    {
        // A sensor names far more addresses than it keeps over its life; the busy ones must stay cached.
        var busy = IpAddress.Parse("10.0.0.5");
        var first = AddressText.Of(busy);
        for (var i = 0; i < 10 * AddressText.MaxEntries; i++)
        {
            AddressText.Of(IpAddress.Parse($"198.18.{i / 256 % 256}.{i % 256}"));
            if (i % 1_000 == 0) Assert.That(AddressText.Of(busy), Is.SameAs(first), $"after {i} other addresses");
        }

        var late = IpAddress.Parse("203.0.113.9");
        Assert.That(AddressText.Of(late), Is.SameAs(AddressText.Of(IpAddress.Parse("203.0.113.9"))), "a new address is still cached");
    }
}
