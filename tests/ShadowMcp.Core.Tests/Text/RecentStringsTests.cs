using System.Text;
using ShadowMcp.Core.Text;

namespace ShadowMcp.Core.Tests.Text;

/// <summary>
/// The table of recent per-flow strings: a value seen again is the same string, a different value is never given
/// another's string (however the slots collide), and the table stays at its slots whatever the wire sends.
/// </summary>
public class RecentStringsTests
{
    [Test]
    public void Get_SameTextAgain_IsTheSameString()
    {
        var table = new RecentStrings(slots: 64, maxChars: 64);
        var first = table.Get("mcp.example.com");

        Assert.That(table.Get("mcp.example.com".AsSpan()), Is.SameAs(first));
        var id = table.FromUtf8("6f1c2a77"u8);
        Assert.That(table.FromUtf8("6f1c2a77"u8), Is.SameAs(id));
    }

    [Test]
    public void Get_ManyDistinctValuesInFewSlots_EachComesBackAsItsOwnText()
    {
        // Four slots for thousands of values: every slot is taken over again and again, and no value may come back
        // as the string another value left there.
        var table = new RecentStrings(slots: 4, maxChars: 64);
        for (var i = 0; i < 5000; i++)
        {
            var name = $"host-{i % 700}.example";
            Assert.That(table.Get(name), Is.EqualTo(name));
            Assert.That(table.FromUtf8(Encoding.ASCII.GetBytes(name)), Is.EqualTo(name));
        }
        Assert.That(table.Slots, Is.EqualTo(4));
    }

    [Test]
    public void FromUtf8_NonAsciiInvalidEmptyOrLong_DecodeLikeUtf8()
    {
        var table = new RecentStrings(slots: 16, maxChars: 8);
        byte[] invalid = [0x61, 0xFF, 0x62];

        Assert.That(table.FromUtf8(invalid), Is.EqualTo("a\uFFFDb"));
        Assert.That(table.FromUtf8("caf\u00e9"u8), Is.EqualTo("caf\u00e9"));
        Assert.That(table.FromUtf8([]), Is.EqualTo(""));
        Assert.That(table.Get(""), Is.EqualTo(""));
        var longText = table.FromUtf8("0123456789"u8);
        Assert.That(longText, Is.EqualTo("0123456789"));
        Assert.That(table.FromUtf8("0123456789"u8), Is.Not.SameAs(longText), "a value past maxChars was kept");
    }
}
