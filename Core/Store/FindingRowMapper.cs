using System.Text.Json;
using ShadowMcp.Core.Findings;

namespace ShadowMcp.Core.Store;

/// <summary>Stored rows to and from <see cref="Finding"/>; readers (reports, admin UI) use it too.</summary>
public static class FindingRowMapper
{
    public static void Apply(Finding f, FindingRow row)
    {
        row.Address = f.Endpoint.Address;
        row.Port = f.Endpoint.Port;
        row.Host = f.Endpoint.Host;
        row.Path = f.Endpoint.Path;
        row.Transport = f.Transport;
        row.Verdict = f.Verdict.ToWire();
        row.VerdictReason = f.VerdictReason;
        row.Confidence = f.Confidence;
        row.ServerName = f.Server?.Name;
        row.ServerVersion = f.Server?.Version;
        row.Flows = f.Flows;
        row.FirstSeen = f.FirstSeen;
        row.LastSeen = f.LastSeen;
        row.HostsJson = JsonSerializer.Serialize(f.Hosts);
        row.AddressNamesJson = JsonSerializer.Serialize(f.AddressNames);
        row.ProtocolVersionsJson = JsonSerializer.Serialize(f.ProtocolVersions);
        row.ClientsJson = JsonSerializer.Serialize(f.Clients);
        row.ClientAppsJson = JsonSerializer.Serialize(f.ClientApps);
        row.ToolsJson = JsonSerializer.Serialize(f.Tools);
    }

    public static Finding ToFinding(FindingRow row)
    {
        _ = VerdictNames.TryParse(row.Verdict, out var verdict); // an unknown name reads as the default verdict
        var f = new Finding
        {
            Endpoint = new Endpoint(row.Address, row.Port, row.Host, row.Path),
            Transport = row.Transport,
            Verdict = verdict,
            VerdictReason = row.VerdictReason,
            Confidence = row.Confidence,
            Server = row.ServerName is null ? null : new ServerInfo(row.ServerName, row.ServerVersion),
            Flows = row.Flows,
            FirstSeen = DateTime.SpecifyKind(row.FirstSeen, DateTimeKind.Utc),
            LastSeen = DateTime.SpecifyKind(row.LastSeen, DateTimeKind.Utc),
        };
        f.Hosts.UnionWith(Strings(row.HostsJson));
        f.AddressNames.UnionWith(Strings(row.AddressNamesJson));
        f.ProtocolVersions.UnionWith(Strings(row.ProtocolVersionsJson));
        f.Clients.UnionWith(Strings(row.ClientsJson));
        f.ClientApps.UnionWith(Strings(row.ClientAppsJson));
        f.Tools.UnionWith(Strings(row.ToolsJson));
        foreach (var e in row.Evidence.OrderByDescending(e => e.Weight).ThenBy(e => e.Rule, StringComparer.Ordinal))
            f.Evidence.Add(new Evidence
            {
                Rule = e.Rule, Title = e.Title, Level = e.Level, Detail = e.Detail, Weight = e.Weight, Count = e.Count,
                FirstSeen = DateTime.SpecifyKind(e.FirstSeen, DateTimeKind.Utc),
                LastSeen = DateTime.SpecifyKind(e.LastSeen, DateTimeKind.Utc), Example = e.Example,
            });
        return f;
    }

    /// <summary>Reads a JSON set column; a damaged or empty one reads as empty rather than failing a page or a report.</summary>
    public static string[] Strings(string json)
    {
        if (string.IsNullOrEmpty(json)) return [];
        try { return JsonSerializer.Deserialize<string[]>(json) ?? []; }
        catch (JsonException) { return []; }
    }
}
