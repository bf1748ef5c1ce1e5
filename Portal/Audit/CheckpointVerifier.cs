using System.Globalization;
using ShadowMcp.Portal.Store;

namespace ShadowMcp.Portal.Audit;

/// <summary>
/// Holds the log against its signed checkpoints. Each checkpoint signed by the portal's key records the row at
/// its head (Seq and hash) and how many rows led up to it: a missing head row means the log was cut or emptied,
/// another hash means rows up to it were changed and re-chained, another count means rows were deleted and
/// renumbered. A line that does not verify against the public key is reported, never trusted.
/// </summary>
internal static class CheckpointVerifier
{
    public static IReadOnlyList<AuditProblem> Verify(IReadOnlyList<AuditRow> rows, IEnumerable<string> lines, AuditKeys keys)
    {
        var problems = new List<AuditProblem>();
        if (keys.PublicKey is not { } publicKey)
        {
            problems.Add(new(0, "not checked", "no checkpoint public key (portal-checkpoint.key.pub or --public-key)"));
            return problems;
        }
        var keyId = AuditCheckpoint.KeyId(publicKey);
        var bySeq = rows.ToDictionary(r => r.Seq);
        var last = rows.Count > 0 ? rows[^1].Seq : 0;
        var lineNo = 0;
        var valid = 0;
        foreach (var line in lines)
        {
            lineNo++;
            if (!line.Contains("\"sig\"", StringComparison.Ordinal)) continue; // other syslog traffic
            var cp = AuditCheckpoint.Parse(line);
            if (cp is null) { problems.Add(new(0, "bad checkpoint", $"line {lineNo} is not a readable checkpoint")); continue; }
            if (!cp.IsSignedBy(publicKey))
            {
                var who = cp.Key == keyId ? "its signature does not verify" : $"signed by key {cp.Key}, not {keyId}";
                problems.Add(new(cp.Seq, "forged checkpoint", $"line {lineNo}: {who}"));
                continue;
            }
            valid++;
            var when = cp.Time.UtcDateTime.ToString("u", CultureInfo.InvariantCulture);
            if (!bySeq.TryGetValue(cp.Seq, out var row))
            {
                problems.Add(cp.Seq > last
                    ? new(cp.Seq, "truncated", $"the checkpoint of {when} records row {cp.Seq} but the log ends at row {last}")
                    : new(cp.Seq, "deleted", $"the checkpoint of {when} records row {cp.Seq}, which is missing"));
                continue;
            }
            if (row.Hash != cp.Hash)
                problems.Add(new(cp.Seq, "changed",
                    $"row {cp.Seq} differs from the checkpoint of {when}: rows up to it were changed or re-chained"));
            var upTo = rows.Count(r => r.Seq <= cp.Seq);
            if (upTo != cp.Count)
                problems.Add(new(cp.Seq, "deleted",
                    $"the checkpoint of {when} counted {cp.Count} row(s) up to row {cp.Seq}; the log has {upTo}"));
        }
        if (valid == 0 && problems.Count == 0) problems.Add(new(0, "not checked", "no checkpoint found"));
        return problems;
    }
}
