using System.Text.Json;
using ShadowMcp.Core.Findings;
using ShadowMcp.Core.Serialization;
using ShadowMcp.Core.Text;

namespace ShadowMcp.Cli.Configuration;

/// <summary>
/// The detection settings file (JSON): which endpoints are sanctioned, and where the portal's config lives so its
/// registry counts as sanctioned too. Looked up from --config, then $SHADOWMCP_CONFIG, then ./shadowmcp.json.
/// </summary>
public sealed class ShadowMcpConfig
{
    public List<SanctionedEntry> Sanctioned { get; init; } = [];

    /// <summary>Path to the portal's config file; its upstreams and own address are sanctioned.</summary>
    public string? PortalConfig { get; init; }

    /// <summary>
    /// The DNS resolvers (addresses or CIDR networks) whose answers may tie a sanctioned name to an address; answers
    /// from any other server are ignored for sanctioned names. Empty: every resolver is trusted.
    /// </summary>
    public List<string> TrustedResolvers { get; init; } = [];

    /// <summary>The <see cref="TrustedResolvers"/> as networks (a bare address is a /32 or /128).</summary>
    public IReadOnlyList<System.Net.IPNetwork> TrustedResolverNetworks() =>
        [.. TrustedResolvers.Select(r => ParseNetwork(r) ?? throw new ConfigException($"trustedResolvers: '{r}' is not an IP address or CIDR network"))];

    private static System.Net.IPNetwork? ParseNetwork(string text)
    {
        var t = text.Trim();
        if (System.Net.IPNetwork.TryParse(t, out var network)) return network;
        return System.Net.IPAddress.TryParse(t, out var address)
            ? new System.Net.IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128)
            : null;
    }

    /// <summary>Where the portal listens, as clients reach it (e.g. https://mcp.corp.example, http://10.20.0.10:8765).</summary>
    public List<string> PortalUrls { get; init; } = [];

    public sealed class SanctionedEntry
    {
        public string? Host { get; init; }
        public string? Address { get; init; }
        public int? Port { get; init; }
        public string? PathPrefix { get; init; }
        public string? Reason { get; init; }
        /// <summary>A sanctioned package for host scans: "npm:name", "pypi:name", "oci:image", "nuget:Id", "local:/path".</summary>
        public string? Package { get; init; }
        /// <summary>Version range for <see cref="Package"/> ("^1.2", "&gt;=1 &lt;2"); none means any version.</summary>
        public string? Versions { get; init; }
    }

    public IEnumerable<SanctionedEndpoint> SanctionedEndpoints() =>
        Sanctioned.Where(s => s.Package is null).Select(s => new SanctionedEndpoint(s.Host, s.Address, s.Port, s.PathPrefix, s.Reason ?? "allow list"));

    /// <summary>The packages host scans treat as sanctioned (entries with "package").</summary>
    public IEnumerable<Hosts.Verdicts.SanctionedPackage> SanctionedPackages() =>
        Sanctioned.Where(s => s.Package is not null)
            .Select(s => Hosts.Verdicts.SanctionedPackage.Parse(s.Package!, s.Versions, s.Reason ?? "allow list"));

    public static ShadowMcpConfig Load(string? explicitPath)
    {
        var path = explicitPath ?? Environment.GetEnvironmentVariable("SHADOWMCP_CONFIG");
        if (path is null)
        {
            if (!File.Exists("shadowmcp.json")) return new ShadowMcpConfig();
            path = "shadowmcp.json";
        }
        if (!File.Exists(path)) throw new ConfigException($"{path}: config file not found");
        try
        {
            var config = JsonSerializer.Deserialize<ShadowMcpConfig>(File.ReadAllText(path), new JsonSerializerOptions(JsonDefaults.Options)
            {
                UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
                ReadCommentHandling = JsonCommentHandling.Skip,
                AllowTrailingCommas = true,
            }) ?? new ShadowMcpConfig();
            for (int i = 0; i < config.TrustedResolvers.Count; i++)
                if (ParseNetwork(config.TrustedResolvers[i]) is null)
                    throw new ConfigException($"{path}: trustedResolvers[{i}]: '{config.TrustedResolvers[i]}' is not an IP address or CIDR network");
            for (int i = 0; i < config.Sanctioned.Count; i++)
            {
                var s = config.Sanctioned[i];
                if (s.Package is not null)
                {
                    if (s.Host is not null || s.Address is not null || s.Port is not null || s.PathPrefix is not null)
                        throw new ConfigException($"{path}: sanctioned[{i}]: a package entry cannot also name host, address, port or pathPrefix");
                    try { Hosts.Verdicts.SanctionedPackage.Parse(s.Package, s.Versions, s.Reason); }
                    catch (FormatException ex) { throw new ConfigException($"{path}: sanctioned[{i}]: {ex.Message}"); }
                    continue;
                }
                if (s.Host is null && s.Address is null && s.Port is null && s.PathPrefix is null)
                    throw new ConfigException($"{path}: sanctioned[{i}]: give at least one of host, address, port, pathPrefix, package");
                // A prefix no request path can be under would leave the sanctioned server unprotected: its traffic
                // reported as shadow, and blocks on it let through.
                if (s.PathPrefix is not null && !UrlPathForms.IsPlain(s.PathPrefix))
                    throw new ConfigException($"{path}: sanctioned[{i}]: pathPrefix '{TerminalText.Escape(s.PathPrefix)}' must be a plain "
                        + "path starting with '/' (no '..' or '.' segments, '//', '\\', or encoded '.', '/', '%')");
            }
            return config;
        }
        catch (JsonException ex)
        {
            throw new ConfigException($"{path}:{(ex.LineNumber ?? 0) + 1}:{(ex.BytePositionInLine ?? 0) + 1}: {ex.Message}");
        }
    }
}

public sealed class ConfigException(string message) : Exception(message);
