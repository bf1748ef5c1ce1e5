using System.Net.Sockets;
using System.Text;
using ShadowMcp.Portal.Config;

namespace ShadowMcp.Portal.Audit;

/// <summary>
/// Where checkpoints go: an append-only file (opened for append only, each line flushed to disk) and/or the
/// local syslog (RFC 3164 over its Unix datagram socket, facility auth, severity notice). Both are places an
/// operator can put out of the portal's reach: chattr +a or another mount, a remote syslog relay.
/// </summary>
internal sealed class CheckpointSinks(AuditSettings settings)
{
    public bool Any => settings.CheckpointFile is not null || settings.CheckpointSyslog;

    /// <returns>What failed, one entry per sink (the others were still written).</returns>
    public IReadOnlyList<string> Write(AuditCheckpoint checkpoint)
    {
        var failures = new List<string>();
        var line = checkpoint.ToJson();
        if (settings.CheckpointFile is { } path)
        {
            try
            {
                using var file = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
                file.Write(Encoding.UTF8.GetBytes(line + "\n"));
                file.Flush(flushToDisk: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                failures.Add($"checkpoint file {path}: {e.Message}");
            }
        }
        if (settings.CheckpointSyslog)
        {
            try
            {
                using var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
                socket.Connect(new UnixDomainSocketEndPoint(settings.SyslogSocket));
                // <PRI> = facility auth (4) * 8 + severity notice (5).
                socket.Send(Encoding.UTF8.GetBytes($"<37>shadowmcp-portal: audit-checkpoint {line}"));
            }
            catch (SocketException e)
            {
                failures.Add($"syslog {settings.SyslogSocket}: {e.Message}");
            }
        }
        return failures;
    }
}
