using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using ShadowMcp.Core.Findings;
using ShadowMcp.Core.Serialization;

namespace ShadowMcp.Core.Store;

/// <summary>
/// Merges findings again from all their files' contributions, then lays the triage decisions over the result
/// (<see cref="TriageVerdict"/>). Used after a file result is saved and after a triage action that approves or
/// un-approves, so the stored verdict always equals "what the scans say, as the team decided".
/// </summary>
internal static class FindingRecomputer
{
    /// <summary>
    /// Oldest scan first; a finding no file contributes to any more is removed. <paramref name="verdictOnly"/> (after a
    /// triage action: the contributions did not change) rewrites only the verdict and its reason, not the evidence.
    /// </summary>
    public static void Recompute(ShadowMcpDbContext db, long[] findingIds, DateTime now, bool verdictOnly = false)
    {
        var rows = verdictOnly
            ? db.Findings.Where(f => findingIds.Contains(f.Id)).ToList()
            : db.Findings.Include(f => f.Evidence).Where(f => findingIds.Contains(f.Id)).ToList();
        var sources = (from s in db.FindingSources
                       join file in db.ScannedFiles on s.ScannedFileId equals file.Id
                       where findingIds.Contains(s.FindingId)
                       orderby s.FindingId, file.ScannedAt, file.Id
                       select new { s.FindingId, s.FindingJson, file.ScannedAt })
            .AsEnumerable()
            .GroupBy(s => s.FindingId)
            .ToDictionary(g => g.Key, g => g.ToList());
        var keys = rows.Select(r => r.EndpointKey).ToList();
        var triage = db.FindingTriage.AsNoTracking().Where(t => keys.Contains(t.EndpointKey)).ToDictionary(t => t.EndpointKey, StringComparer.Ordinal);
        foreach (var row in rows)
        {
            if (!sources.TryGetValue(row.Id, out var json))
            {
                db.Findings.Remove(row);
                continue;
            }
            // Oldest scan first (the latest verdict reflects the sanctioned list now); the files of one scan run share
            // a scan time and are put strongest evidence last, so their order on the command line does not matter.
            var merged = FindingMerger.Merge([.. json.GroupBy(s => s.ScannedAt).OrderBy(g => g.Key).SelectMany(g =>
                FindingMerger.StrongestLast(g.Select(s => JsonSerializer.Deserialize<FindingDocument>(s.FindingJson, JsonDefaults.Options)!.ToFinding())))]);
            TriageVerdict.Apply(merged, triage.GetValueOrDefault(row.EndpointKey));
            row.UpdatedAt = now;
            if (verdictOnly)
            {
                row.Verdict = merged.Verdict.ToWire();
                row.VerdictReason = merged.VerdictReason;
                continue;
            }
            FindingRowMapper.Apply(merged, row);
            db.Evidence.RemoveRange(row.Evidence);
            row.Evidence = [.. merged.Evidence.Select(e => new EvidenceRow
            {
                Rule = e.Rule, Title = e.Title, Level = e.Level, Detail = e.Detail, Weight = e.Weight, Count = e.Count,
                FirstSeen = e.FirstSeen, LastSeen = e.LastSeen, Example = e.Example,
            })];
        }
    }
}
