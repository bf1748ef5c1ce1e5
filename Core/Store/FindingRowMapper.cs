using System.Buffers;
using System.Text;
using System.Text.Json;
using ShadowMcp.Core.Findings;

namespace ShadowMcp.Core.Store;

/// <summary>Stored rows to and from <see cref="Finding"/>; the read API (Core/Reading) uses it to hand out models.</summary>
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
        var verdict = VerdictNames.ParseOrSuspected(row.Verdict);
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

    /// <summary>
    /// Reads a JSON set column (an array of strings); a damaged or empty one reads as empty rather than failing a page
    /// or a report, and null items are left out. Read with <see cref="Utf8JsonReader"/>: the weekly report reads six of
    /// these per finding, and the serializer's per-call set-up cost more than the parse.
    /// </summary>
    public static string[] Strings(string json)
    {
        if (string.IsNullOrEmpty(json) || json == "[]") return []; // most set columns are empty
        var rented = json.Length <= 256 ? null : ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(json.Length));
        try
        {
            Span<byte> buffer = rented ?? stackalloc byte[Encoding.UTF8.GetMaxByteCount(256)];
            var utf8 = buffer[..Encoding.UTF8.GetBytes(json, buffer)];
            var reader = new Utf8JsonReader(utf8);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray) return [];
            var values = new List<string>();
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.String: values.Add(reader.GetString()!); break;
                    case JsonTokenType.Null: break;
                    case JsonTokenType.EndArray: return reader.Read() ? [] : [.. values]; // anything after the array: damaged
                    default: return [];
                }
            }
            return [];
        }
        catch (JsonException)
        {
            return [];
        }
        finally
        {
            if (rented is not null) ArrayPool<byte>.Shared.Return(rented);
        }
    }
}
