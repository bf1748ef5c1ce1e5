using ShadowMcp.Core.Findings;
using ShadowMcp.Hosts.Verdicts;

namespace ShadowMcp.Hosts.Inventory;

/// <summary>
/// The inventory as findings, in the same model and JSON as the network's: one finding per server identity on this
/// host (a package, a URL, a local program), its agents as client apps, each declaration as evidence; and one
/// finding per plaintext credential, which never carries the value.
/// </summary>
public static class HostFindings
{
    public const string ConfigRule = "host.config";
    public const string ProcessRule = "host.process";
    public const string SecretRule = "host.secret";
    public const string StdioTransport = "stdio";

    public static List<Finding> Build(HostInventory inventory, HostVerdicts verdicts)
    {
        var byKey = new Dictionary<string, Finding>(StringComparer.Ordinal);
        foreach (var server in inventory.Servers)
        {
            var endpoint = EndpointOf(inventory.HostName, server);
            if (!byKey.TryGetValue(endpoint.Key, out var finding))
            {
                var (verdict, reason) = verdicts.Judge(server);
                finding = new Finding
                {
                    Endpoint = endpoint,
                    Transport = server.Transport,
                    Verdict = verdict,
                    VerdictReason = reason,
                    Confidence = 1.0,
                    FirstSeen = inventory.ScannedAt,
                    LastSeen = inventory.ScannedAt,
                    Server = server.Package is { } p ? new ServerInfo(p.Name, p.Version) : null,
                };
                byKey[endpoint.Key] = finding;
            }
            finding.Clients.Add(inventory.HostName);
            finding.ClientApps.Add(server.Agent);
            finding.Evidence.Add(new Evidence
            {
                Rule = server.Origin == "process" ? ProcessRule : ConfigRule,
                Title = server.Origin == "process"
                    ? "MCP server process running on the host"
                    : "MCP server declared in an agent's config",
                Level = "medium",
                Strength = "decisive",
                Weight = 1.0,
                Detail = server.Origin == "process"
                    ? $"pid={server.Pid} command={server.Identity}"
                    : $"agent={server.Agent} scope={server.Scope} file={server.ConfigPath} server={server.Name} "
                      + $"enabled={(server.Enabled ? "true" : "false")}",
                FirstSeen = inventory.ScannedAt,
                LastSeen = inventory.ScannedAt,
            });
        }
        foreach (var secret in inventory.Secrets)
        {
            var path = $"/secret/{secret.Agent}/{secret.Server}/{secret.Location}";
            var endpoint = new Endpoint(null, null, inventory.HostName, path);
            if (byKey.ContainsKey(endpoint.Key)) continue;
            var finding = new Finding
            {
                Endpoint = endpoint,
                Transport = StdioTransport,
                Verdict = Verdict.Shadow,
                VerdictReason = $"plaintext {secret.Kind} in an agent config",
                Confidence = 1.0,
                FirstSeen = inventory.ScannedAt,
                LastSeen = inventory.ScannedAt,
            };
            finding.Clients.Add(inventory.HostName);
            finding.ClientApps.Add(secret.Agent);
            finding.Evidence.Add(new Evidence
            {
                Rule = SecretRule,
                Title = "Credential written into an MCP server config",
                Level = "high",
                Strength = "decisive",
                Weight = 1.0,
                Detail = $"kind={secret.Kind} at={secret.Location} server={secret.Server} file={secret.ConfigPath} "
                    + $"value={SecretHit.Redacted}",
                FirstSeen = inventory.ScannedAt,
                LastSeen = inventory.ScannedAt,
            });
            byKey[endpoint.Key] = finding;
        }
        return [.. byKey.Values.OrderBy(f => f.Verdict).ThenBy(f => f.Endpoint.Key, StringComparer.Ordinal)];
    }

    /// <summary>A remote server is its URL's endpoint; a local one is this host plus what it runs.</summary>
    public static Endpoint EndpointOf(string hostName, DeclaredServer server)
    {
        if (server.Url is { } url && HostVerdicts.ToEndpoint(url) is { } remote) return remote;
        var what = server.Package is { } p
            ? $"{p.Ecosystem}/{(p.Version is null ? p.Name : $"{p.Name}@{p.Version}")}"
            : $"local/{server.Identity}";
        return new Endpoint(null, null, hostName, $"/stdio/{what}");
    }
}
