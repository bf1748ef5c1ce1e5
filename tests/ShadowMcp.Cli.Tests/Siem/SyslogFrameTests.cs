using System.Buffers;
using System.Text;
using ShadowMcp.Cli.Siem;

namespace ShadowMcp.Cli.Tests.Siem;

/// <summary>RFC 5424 message layout and RFC 6587 octet counting, byte for byte.</summary>
public sealed class SyslogFrameTests
{
    private static string Frame(int severityId, string json)
    {
        var e = new SiemEvent(SiemStream.Findings, "k", "f", 2004, severityId, new DateTimeOffset(2026, 11, 18, 10, 0, 0, 123, TimeSpan.Zero),
            Encoding.UTF8.GetBytes(json));
        var buffer = new ArrayBufferWriter<byte>();
        SyslogFrame.Write(buffer, e, "sensor-1", 4242);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    [Test]
    public void Write_HeaderFieldsInOrder_AndTheCountIsTheMessagesByteLength()
    {
        const string json = "{\"message\":\"caf\u00e9 \u2603\"}";
        var frame = Frame(4, json);

        var space = frame.IndexOf(' ', StringComparison.Ordinal);
        var message = frame[(space + 1)..];
        Assert.That(message, Is.EqualTo("<107>1 2026-11-18T10:00:00.123Z sensor-1 shadowmcp 4242 ocsf-2004 - " + json), "facility 13 × 8 + err (3)");
        Assert.That(int.Parse(frame[..space], System.Globalization.CultureInfo.InvariantCulture), Is.EqualTo(Encoding.UTF8.GetByteCount(message)),
            "octets, not characters");
    }

    [TestCase(0, 6)]
    [TestCase(1, 6)]
    [TestCase(2, 5)]
    [TestCase(3, 4)]
    [TestCase(4, 3)]
    [TestCase(5, 2)]
    [TestCase(6, 1)]
    public void SyslogSeverity_FollowsTheOcsfSeverity(int ocsf, int syslog) =>
        Assert.That(SyslogFrame.SyslogSeverity(ocsf), Is.EqualTo(syslog));

    [Test]
    public void Hostname_DropsSpacesAndControlCharacters() =>
        Assert.That((SyslogFrame.Hostname("my host\u0001"), SyslogFrame.Hostname(" ")), Is.EqualTo(("myhost", "-")));
}
