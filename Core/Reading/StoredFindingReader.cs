using System.Data;
using System.Globalization;
using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using ShadowMcp.Core.Findings;
using ShadowMcp.Core.Store;
using ShadowMcp.Core.Triage;

namespace ShadowMcp.Core.Reading;

/// <summary>
/// Reads whole tables of findings and evidence into model types for readers that need all of them at once (the
/// weekly report). One plain query per table on the store's connection: materialising 20,000 rows through EF Core
/// cost ten times the query itself. Quoted names and no parameters, so SQLite and PostgreSQL read the same text.
/// </summary>
public static class StoredFindingReader
{
    private const string FindingColumns =
        "f.\"Id\", f.\"EndpointKey\", f.\"Address\", f.\"Port\", f.\"Host\", f.\"Path\", f.\"Transport\", f.\"Verdict\", " +
        "f.\"VerdictReason\", f.\"Confidence\", f.\"ServerName\", f.\"ServerVersion\", f.\"Flows\", f.\"FirstSeen\", f.\"LastSeen\", " +
        "f.\"HostsJson\", f.\"AddressNamesJson\", f.\"ProtocolVersionsJson\", f.\"ClientsJson\", f.\"ClientAppsJson\", f.\"ToolsJson\", " +
        "t.\"Status\"";

    private const string EvidenceColumns =
        "\"FindingId\", \"Rule\", \"Title\", \"Level\", \"Detail\", \"Weight\", \"Count\", \"FirstSeen\", \"LastSeen\", \"Example\"";

    /// <summary>Every finding with its triage status, without its evidence, in id order.</summary>
    public static List<StoredFinding> ReadFindings(ShadowMcpDbContext db)
    {
        ArgumentNullException.ThrowIfNull(db);
        var list = new List<StoredFinding>();
        Read(db, $"SELECT {FindingColumns} FROM findings f LEFT JOIN finding_triage t ON t.\"EndpointKey\" = f.\"EndpointKey\" ORDER BY f.\"Id\"", r =>
        {
            var verdict = VerdictNames.ParseOrSuspected(r.GetString(7));
            var finding = new Finding
            {
                Endpoint = new Endpoint(Text(r, 2), r.IsDBNull(3) ? null : r.GetInt32(3), Text(r, 4), Text(r, 5)),
                Transport = r.GetString(6),
                Verdict = verdict,
                VerdictReason = Text(r, 8),
                Confidence = r.GetDouble(9),
                Server = r.IsDBNull(10) ? null : new ServerInfo(r.GetString(10), Text(r, 11)),
                Flows = r.GetInt32(12),
                FirstSeen = Utc(r.GetDateTime(13)),
                LastSeen = Utc(r.GetDateTime(14)),
            };
            finding.Hosts.UnionWith(FindingRowMapper.Strings(r.GetString(15)));
            finding.AddressNames.UnionWith(FindingRowMapper.Strings(r.GetString(16)));
            finding.ProtocolVersions.UnionWith(FindingRowMapper.Strings(r.GetString(17)));
            finding.Clients.UnionWith(FindingRowMapper.Strings(r.GetString(18)));
            finding.ClientApps.UnionWith(FindingRowMapper.Strings(r.GetString(19)));
            finding.Tools.UnionWith(FindingRowMapper.Strings(r.GetString(20)));
            list.Add(new StoredFinding(r.GetInt64(0), r.GetString(1), finding, TriageStatusNames.Parse(Text(r, 21))));
        });
        return list;
    }

    /// <summary>
    /// The evidence of the findings in <paramref name="findingIds"/>, per finding id, strongest first (then by rule
    /// and detail, so equal stores give equal lists).
    /// </summary>
    public static Dictionary<long, List<Evidence>> ReadEvidence(ShadowMcpDbContext db, IReadOnlySet<long> findingIds)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(findingIds);
        var byFinding = new Dictionary<long, List<Evidence>>();
        if (findingIds.Count == 0) return byFinding;
        // One pass over the table, skipping other findings' rows before reading their text: cheaper than thousands of
        // ids in IN lists, and the evidence table holds a few rows per finding.
        Read(db, $"SELECT {EvidenceColumns} FROM evidence", r =>
        {
            var id = r.GetInt64(0);
            if (!findingIds.Contains(id)) return;
            if (!byFinding.TryGetValue(id, out var list)) byFinding[id] = list = [];
            list.Add(new Evidence
            {
                Rule = r.GetString(1), Title = r.GetString(2), Level = r.GetString(3), Detail = r.GetString(4),
                Weight = r.GetDouble(5), Count = r.GetInt32(6),
                FirstSeen = Utc(r.GetDateTime(7)), LastSeen = Utc(r.GetDateTime(8)), Example = Text(r, 9),
            });
        });
        foreach (var list in byFinding.Values)
            list.Sort(static (a, b) =>
            {
                var c = b.Weight.CompareTo(a.Weight);
                if (c == 0) c = string.CompareOrdinal(a.Rule, b.Rule);
                return c != 0 ? c : string.CompareOrdinal(a.Detail, b.Detail);
            });
        return byFinding;
    }

    /// <summary>
    /// What kinds of source each finding with a source came from: ShadowMcp's probe or passive captures (for
    /// <see cref="BasisRules.For(IEnumerable{Evidence}, SourceKinds)"/>). One grouped pass over the sources.
    /// </summary>
    public static Dictionary<long, SourceKinds> ReadSourceKinds(ShadowMcpDbContext db)
    {
        ArgumentNullException.ThrowIfNull(db);
        var byFinding = new Dictionary<long, SourceKinds>();
        // The probe's path is a constant of ours, not input, so it is spelled into the text like the names.
        const string probe = BasisRules.ProbeSourcePath;
        Read(db, "SELECT s.\"FindingId\", " +
                 $"MAX(CASE WHEN sf.\"Path\" = '{probe}' THEN 1 ELSE 0 END), MAX(CASE WHEN sf.\"Path\" <> '{probe}' THEN 1 ELSE 0 END) " +
                 "FROM finding_sources s JOIN scanned_files sf ON sf.\"Id\" = s.\"ScannedFileId\" GROUP BY s.\"FindingId\"",
            r => byFinding[r.GetInt64(0)] = new SourceKinds(Convert.ToInt64(r.GetValue(1), CultureInfo.InvariantCulture) != 0,
                Convert.ToInt64(r.GetValue(2), CultureInfo.InvariantCulture) != 0));
        return byFinding;
    }

    private static void Read(ShadowMcpDbContext db, string sql, Action<DbDataReader> row)
    {
        var connection = db.Database.GetDbConnection();
        var opened = connection.State != ConnectionState.Open;
        if (opened) connection.Open();
        try
        {
            using var cmd = connection.CreateCommand();
            cmd.CommandText = sql;
            cmd.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
            using var reader = cmd.ExecuteReader();
            while (reader.Read()) row(reader);
        }
        finally
        {
            if (opened) connection.Close();
        }
    }

    private static string? Text(DbDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);

    private static DateTime Utc(DateTime t) => DateTime.SpecifyKind(t, DateTimeKind.Utc);
}
