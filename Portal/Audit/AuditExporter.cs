using System.Text.Json;
using ShadowMcp.Portal.Store;

namespace ShadowMcp.Portal.Audit;

/// <summary>Writes audit rows as JSON Lines (one object per row, chain hashes included) for SIEM ingestion.</summary>
internal static class AuditExporter
{
    public static int WriteJsonl(PortalStore store, TextWriter output, long afterSeq = 0)
    {
        using var db = store.Open();
        var count = 0;
        foreach (var r in db.Audit.Where(a => a.Seq > afterSeq).OrderBy(a => a.Seq).AsEnumerable())
        {
            output.WriteLine(JsonSerializer.Serialize(new
            {
                seq = r.Seq,
                time = r.Time.UtcDateTime.ToString("O"),
                user = r.User,
                group = r.Group,
                client = r.ClientName,
                clientVersion = r.ClientVersion,
                server = r.Server,
                method = r.Method,
                tool = r.Tool,
                argumentBytes = r.ArgumentBytes,
                argumentHash = r.ArgumentHash,
                arguments = r.Arguments,
                durationMs = r.DurationMs,
                outcome = r.Outcome,
                decision = r.Decision,
                dlpHits = r.DlpHits,
                executionId = r.ExecutionId,
                replica = r.Replica,
                prevHash = r.PrevHash,
                hash = r.Hash,
            }));
            count++;
        }
        return count;
    }
}
