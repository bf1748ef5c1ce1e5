using System.Buffers;
using System.Globalization;
using System.Text;

namespace ShadowMcp.Cli.Siem;

/// <summary>
/// One event as an RFC 5424 syslog message with RFC 6587 octet-counting framing (`LEN SP MSG`, also what RFC 5425
/// uses over TLS): `&lt;PRI&gt;1 TIMESTAMP HOSTNAME shadowmcp PROCID ocsf-CLASS - JSON`. Facility 13 (log audit); the
/// syslog severity follows the OCSF severity. No BOM before the JSON, so receivers that do not strip one still
/// parse it.
/// </summary>
internal static class SyslogFrame
{
    public const int Facility = 13;
    public const string AppName = "shadowmcp";

    /// <summary>OCSF severity_id (0 Unknown … 6 Fatal) to syslog severity (7 debug … 0 emergency).</summary>
    public static int SyslogSeverity(int ocsfSeverity) => ocsfSeverity switch
    {
        2 => 5,  // Low: notice
        3 => 4,  // Medium: warning
        4 => 3,  // High: error
        5 => 2,  // Critical: critical
        6 => 1,  // Fatal: alert
        _ => 6,  // Unknown, Informational: informational
    };

    /// <summary>
    /// The longest message (header and JSON, the octet count) sent by default: under rsyslog's default limit (8 kB,
    /// 8,096 octets of message) and RFC 5425's 8,192. A receiver cuts a longer one and may read the rest as a message
    /// of its own; see <see cref="SyslogFit"/>.
    /// </summary>
    public const int DefaultMaxMessageBytes = 8000;

    public static void Write(IBufferWriter<byte> output, SiemEvent e, string hostname, int procId, int maxMessageBytes = DefaultMaxMessageBytes)
    {
        var header = string.Create(CultureInfo.InvariantCulture,
            $"<{Facility * 8 + SyslogSeverity(e.SeverityId)}>1 {e.Time.UtcDateTime:yyyy-MM-ddTHH:mm:ss.fffZ} {hostname} {AppName} {procId} ocsf-{e.ClassUid} - ");
        var headerBytes = Encoding.ASCII.GetByteCount(header);
        var json = SyslogFit.Shrink(e.Json, Math.Max(0, maxMessageBytes - headerBytes));
        var length = headerBytes + json.Length;
        Encoding.ASCII.GetBytes(length.ToString(CultureInfo.InvariantCulture) + " ", output);
        Encoding.ASCII.GetBytes(header, output);
        output.Write(json);
    }

    /// <summary>RFC 5424 HOSTNAME: printable US-ASCII without spaces, at most 255 characters; "-" when unknown.</summary>
    public static string Hostname(string name)
    {
        var clean = new string([.. name.Where(c => c is > ' ' and < (char)127).Take(255)]);
        return clean.Length == 0 ? "-" : clean;
    }
}
