namespace ShadowMcp.Cli.Siem;

/// <summary>
/// One OCSF event ready to send: its JSON (one line, no newline), and what the cursor records once a sink has
/// acknowledged it. <see cref="Key"/> names the record within its stream (audit seq, action id, finding uid);
/// <see cref="Fingerprint"/> is the hash of what was said about it, so a later change can be told from a re-read.
/// </summary>
internal sealed record SiemEvent(SiemStream Stream, string Key, string Fingerprint, int ClassUid, int SeverityId, DateTimeOffset Time, byte[] Json)
{
    public string Text => System.Text.Encoding.UTF8.GetString(Json);
}
