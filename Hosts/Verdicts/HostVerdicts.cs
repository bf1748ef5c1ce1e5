using System.Net;
using ShadowMcp.Core.Findings;
using ShadowMcp.Hosts.Inventory;

namespace ShadowMcp.Hosts.Verdicts;

/// <summary>
/// The network's rule applied to a host's servers: a remote URL that is the portal or one of its upstreams (the
/// same sanctioned endpoints <c>scan</c> uses) is sanctioned, a stdio server is sanctioned when its package is on
/// the sanctioned package list, and everything else is shadow.
/// </summary>
public sealed class HostVerdicts(IReadOnlyList<SanctionedEndpoint> endpoints, IReadOnlyList<SanctionedPackage> packages)
{
    public static HostVerdicts None { get; } = new([], []);

    public (Verdict Verdict, string Reason) Judge(DeclaredServer server)
    {
        if (server.Url is { } url)
        {
            if (ToEndpoint(url) is not { } endpoint) return (Verdict.Shadow, "remote URL that could not be parsed");
            var hosts = endpoint.Host is null ? Array.Empty<string>() : [endpoint.Host];
            var match = endpoints.FirstOrDefault(s => s.Matches(endpoint, hosts));
            return match is null ? (Verdict.Shadow, "remote server not in the sanctioned list or the portal's registry")
                : (Verdict.Sanctioned, match.Reason);
        }
        if (server.Package is not { } package) return (Verdict.Shadow, "no command or URL");
        var approved = packages.FirstOrDefault(p => p.Matches(package));
        if (approved is not null) return (Verdict.Sanctioned, $"{approved.Reason} ({approved})");
        var sameName = packages.FirstOrDefault(p => p.Matches(package with { Version = null }) || p.Ecosystem == package.Ecosystem
            && string.Equals(p.Name, package.Name, StringComparison.OrdinalIgnoreCase));
        return sameName is not null
            ? (Verdict.Shadow, package.Version is null
                ? $"{package.Name} is sanctioned only as {sameName.Versions}; this launch does not pin a version"
                : $"{package.Name} {package.Version} is outside the sanctioned range {sameName.Versions}")
            : (Verdict.Shadow, "package not in the sanctioned list");
    }

    /// <summary>The URL as the network would see it: address or host name, port, path.</summary>
    public static Endpoint? ToEndpoint(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https" or "ws" or "wss")) return null;
        var host = uri.IdnHost.Trim('[', ']');
        var path = uri.AbsolutePath;
        return IPAddress.TryParse(host, out var ip)
            ? new Endpoint(ip.ToString(), uri.Port, null, path)
            : new Endpoint(null, uri.Port, host.ToLowerInvariant(), path);
    }
}
