using System.Net;
using System.Text;
using ShadowMcp.Enforcer.Planning;

namespace ShadowMcp.Enforcer.Backends;

/// <summary>
/// A Response Policy Zone file for BIND, Knot Resolver and PowerDNS Recursor: "CNAME ." answers NXDOMAIN,
/// A/AAAA records answer with the portal. Each name gets a wildcard twin so subdomains are covered too.
/// </summary>
internal sealed class RpzBackend(string name, string path, IReadOnlyList<string> reload, string zone, TimeProvider time)
    : FileBackend(name, path, reload)
{
    protected override string Render(IReadOnlyList<BlockEntry> state, string? previous)
    {
        // SOA serial as seconds since 2020 fits the 32-bit field for decades and always grows.
        var serial = (uint)(time.GetUtcNow() - new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero)).TotalSeconds;
        var sb = new StringBuilder();
        sb.Append("; ").Append(Header.TrimStart('#', ' ')).Append('\n');
        sb.Append($"$ORIGIN {zone}.\n$TTL 60\n@ IN SOA localhost. hostmaster.localhost. {serial} 3600 600 86400 60\n@ IN NS localhost.\n");
        foreach (var e in state)
        {
            foreach (var owner in new[] { e.Target, "*." + e.Target })
            {
                if (BlockActions.IsRedirect(e.Action))
                {
                    foreach (var a in BlockActions.RedirectTargets(e.Action))
                        sb.Append($"{owner} IN {(a.Contains(':') ? "AAAA" : "A")} {a}\n");
                }
                else
                {
                    sb.Append($"{owner} IN CNAME .\n");
                }
            }
        }
        return sb.ToString();
    }

    protected override IReadOnlyList<BlockEntry> Parse(string text)
    {
        var blocked = new List<string>();
        var redirects = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var raw in text.Split('\n'))
        {
            var f = raw.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (f.Length < 4 || f[0].StartsWith('*') || f[0] is "@" or "$ORIGIN" or "$TTL" || f[0].StartsWith(';') || f[1] != "IN") continue;
            var owner = f[0].ToLowerInvariant();
            if (f[2] == "CNAME" && f[3] == ".") blocked.Add(owner);
            else if (f[2] is "A" or "AAAA" && IPAddress.TryParse(f[3], out _))
            {
                if (!redirects.TryGetValue(owner, out var list)) redirects[owner] = list = [];
                list.Add(f[3]);
            }
        }
        return [.. blocked.Select(b => new BlockEntry(BlockKind.Host, b, null, null, BlockActions.Block)),
            .. redirects.Select(r => new BlockEntry(BlockKind.Host, r.Key, null, null, BlockActions.Redirect(r.Value)))];
    }
}
