using System.Text.Json;
using ShadowMcp.Core.Findings;
using ShadowMcp.Core.Store;

namespace ShadowMcp.Admin.Findings;

/// <summary>
/// A stored row back to a <see cref="Finding"/>. Core's own mapper is internal to Core; this one reads the same
/// columns and tolerates a damaged JSON set (shown empty) rather than failing the page.
/// </summary>
internal static class StoredFindingMapper
{
    public static Finding ToFinding(FindingRow row)
    {
        VerdictNames.TryParse(row.Verdict, out var verdict);
        var f = new Finding
        {
            Endpoint = new Endpoint(row.Address, row.Port, row.Host, row.Path),
            Transport = row.Transport,
            Verdict = verdict,
            VerdictReason = row.VerdictReason,
            Confidence = row.Confidence,
            Server = row.ServerName is null ? null : new ServerInfo(row.ServerName, row.ServerVersion),
            Flows = row.Flows,
            FirstSeen = Utc(row.FirstSeen),
            LastSeen = Utc(row.LastSeen),
        };
        f.Hosts.UnionWith(Strings(row.HostsJson));
        f.ProtocolVersions.UnionWith(Strings(row.ProtocolVersionsJson));
        f.Clients.UnionWith(Strings(row.ClientsJson));
        f.ClientApps.UnionWith(Strings(row.ClientAppsJson));
        f.Tools.UnionWith(Strings(row.ToolsJson));
        foreach (var e in row.Evidence.OrderByDescending(e => e.Weight).ThenBy(e => e.Rule, StringComparer.Ordinal))
            f.Evidence.Add(new Evidence
            {
                Rule = e.Rule, Title = e.Title, Level = e.Level, Detail = e.Detail, Weight = e.Weight, Count = e.Count,
                FirstSeen = Utc(e.FirstSeen), LastSeen = Utc(e.LastSeen), Example = e.Example,
            });
        return f;
    }

    private static DateTime Utc(DateTime t) => DateTime.SpecifyKind(t, DateTimeKind.Utc);

    private static string[] Strings(string json)
    {
        try
        {
            return JsonSerializer.Deserialize<string?[]>(json)?.OfType<string>().ToArray() ?? [];
        }
        catch (JsonException)
        {
            return [];
        }
    }
}
