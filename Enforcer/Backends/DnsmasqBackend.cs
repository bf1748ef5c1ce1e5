using System.Text;
using ShadowMcp.Enforcer.Planning;

namespace ShadowMcp.Enforcer.Backends;

/// <summary>
/// A dnsmasq conf-dir file: "address=/name/" answers NXDOMAIN for the name and its subdomains;
/// "address=/name/ADDR" answers with the portal.
/// </summary>
internal sealed class DnsmasqBackend(string name, string path, IReadOnlyList<string> reload) : FileBackend(name, path, reload)
{
    protected override string Render(IReadOnlyList<BlockEntry> state, string? previous)
    {
        var sb = new StringBuilder().Append(Header).Append('\n');
        foreach (var e in state)
        {
            if (BlockActions.IsRedirect(e.Action))
                foreach (var a in BlockActions.RedirectTargets(e.Action)) sb.Append($"address=/{e.Target}/{a}\n");
            else
                sb.Append($"address=/{e.Target}/\n");
        }
        return sb.ToString();
    }

    protected override IReadOnlyList<BlockEntry> Parse(string text)
    {
        var order = new List<string>();
        var targets = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (!line.StartsWith("address=/", StringComparison.Ordinal)) continue;
            var parts = line["address=/".Length..].Split('/');
            if (parts.Length != 2) continue;
            var host = parts[0].ToLowerInvariant();
            if (!targets.TryGetValue(host, out var list))
            {
                targets[host] = list = [];
                order.Add(host);
            }
            if (parts[1].Length > 0) list.Add(parts[1]);
        }
        return [.. order.Select(h => new BlockEntry(BlockKind.Host, h, null, null,
            targets[h].Count == 0 ? BlockActions.Block : BlockActions.Redirect(targets[h])))];
    }
}
