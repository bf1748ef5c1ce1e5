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

    /// <summary>
    /// No message is longer than the limit, however long the wire's strings or lists: a receiver would read what it
    /// cut off as a message of its own. What is sent is still one whole JSON object.
    /// </summary>
    [TestCase(20_000, 1)]
    [TestCase(300, 200)]
    [TestCase(40, 5_000)]
    public void Write_EventOverTheLimit_IsCutToFitAndStaysJson(int length, int count)
    {
        var hostile = string.Concat(Enumerable.Repeat("<86>1 2026-12-07T00:00:01Z bastion sshd 1 - - x ", length / 48 + 1))[..length];
        var json = System.Text.Json.JsonSerializer.Serialize(new
        {
            class_uid = 2004, severity_id = 4, time = 1_795_000_000_000L,
            finding_info = new { uid = "shadowmcp:finding:10.0.7.9:8009/mcp", title = hostile },
            unmapped = new { tools = Enumerable.Repeat(hostile, count).ToArray() },
        });
        const int limit = 2000;
        var e = new SiemEvent(SiemStream.Findings, "k", "f", 2004, 4, DateTimeOffset.UnixEpoch, Encoding.UTF8.GetBytes(json));
        var buffer = new ArrayBufferWriter<byte>();

        SyslogFrame.Write(buffer, e, "sensor-1", 4242, limit);

        var frame = Encoding.UTF8.GetString(buffer.WrittenSpan);
        var space = frame.IndexOf(' ', StringComparison.Ordinal);
        var octets = int.Parse(frame[..space], System.Globalization.CultureInfo.InvariantCulture);
        Assert.That(octets, Is.LessThanOrEqualTo(limit));
        Assert.That(octets, Is.EqualTo(buffer.WrittenCount - space - 1), "the count is the message");
        var message = frame[(space + 1)..];
        using var doc = System.Text.Json.JsonDocument.Parse(message[message.IndexOf('{', StringComparison.Ordinal)..]);
        Assert.That(doc.RootElement.GetProperty("class_uid").GetInt32(), Is.EqualTo(2004));
        Assert.That(doc.RootElement.GetProperty("severity_id").GetInt32(), Is.EqualTo(4));
    }

    [Test]
    public void Write_EventWithinTheLimit_IsSentAsItIs()
    {
        const string json = "{\"class_uid\":2004,\"message\":\"short\"}";
        Assert.That(Frame(4, json), Does.EndWith(" - " + json));
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
