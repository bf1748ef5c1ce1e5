using System.Net;
using System.Text;
using ShadowMcp.Enforcer.Planning;

namespace ShadowMcp.Enforcer.Backends;

/// <summary>
/// A marked section of a hosts file (everything outside the markers is kept as is). Blocking maps the name to
/// 0.0.0.0 and ::, redirecting to the portal's addresses. Hosts files cannot cover subdomains.
/// </summary>
internal sealed class HostsFileBackend(string name, string path) : FileBackend(name, path, [])
{
    private const string Begin = "# BEGIN shadowmcp (managed by `shadowmcp enforce`)";
    private const string End = "# END shadowmcp";

    /// <summary>A hosts line answers for the name only, not its subdomains.</summary>
    public override IEnumerable<Reach> ReachOf(BlockEntry written) => [Reach.ForName(written.Target, subdomains: false)];

    protected override string Render(IReadOnlyList<BlockEntry> state, string? previous)
    {
        var (before, after) = Split(previous ?? "");
        var sb = new StringBuilder(before);
        if (state.Count > 0)
        {
            if (sb.Length > 0 && sb[^1] != '\n') sb.Append('\n');
            sb.Append(Begin).Append('\n');
            foreach (var e in state)
            {
                var addresses = BlockActions.IsRedirect(e.Action) ? BlockActions.RedirectTargets(e.Action) : ["0.0.0.0", "::"];
                foreach (var a in addresses) sb.Append(a).Append(' ').Append(e.Target).Append('\n');
            }
            sb.Append(End).Append('\n');
        }
        sb.Append(after);
        return sb.ToString();
    }

    protected override IReadOnlyList<BlockEntry> Parse(string text)
    {
        var order = new List<string>();
        var targets = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var inside = false;
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line == Begin) { inside = true; continue; }
            if (line == End) { inside = false; continue; }
            if (!inside) continue;
            var f = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (f.Length < 2 || !IPAddress.TryParse(f[0], out _)) continue;
            var host = f[1].ToLowerInvariant();
            if (!targets.TryGetValue(host, out var list))
            {
                targets[host] = list = [];
                order.Add(host);
            }
            list.Add(f[0]);
        }
        return [.. order.Select(h => new BlockEntry(BlockKind.Host, h, null, null,
            targets[h] is ["0.0.0.0", "::"] ? BlockActions.Block : BlockActions.Redirect(targets[h])))];
    }

    private static (string Before, string After) Split(string text)
    {
        var b = text.IndexOf(Begin, StringComparison.Ordinal);
        if (b < 0) return (text, "");
        var e = text.IndexOf(End, b, StringComparison.Ordinal);
        var rest = e < 0 ? "" : text[(e + End.Length)..].TrimStart('\n');
        return (text[..b], rest);
    }
}
