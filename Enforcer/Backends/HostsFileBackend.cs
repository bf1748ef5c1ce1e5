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
    private const string BeginJoined = Begin + " (newline added)";

    /// <summary>A hosts line answers for the name only, not its subdomains.</summary>
    public override IEnumerable<Reach> ReachOf(BlockEntry written) => [Reach.ForName(written.Target, subdomains: false)];

    public override bool OwnsWholeFile => false;

    protected override string Render(IReadOnlyList<BlockEntry> state, string? previous)
    {
        var (before, after) = Split(previous ?? "");
        var sb = new StringBuilder(before);
        if (state.Count > 0)
        {
            // A file without a final newline gets one before the block; the marker says so, so that removing
            // the block takes it away again and the file is byte for byte what it was.
            var joined = before.Length > 0 && before[^1] != '\n';
            if (joined) sb.Append('\n');
            sb.Append(joined ? BeginJoined : Begin).Append('\n');
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
            if (line == Begin || line == BeginJoined) { inside = true; continue; }
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

    /// <summary>The text outside our block, exactly as it was before the block went in.</summary>
    private static (string Before, string After) Split(string text)
    {
        var b = text.IndexOf(Begin, StringComparison.Ordinal);
        if (b < 0) return (text, "");
        var before = text[..b];
        if (string.CompareOrdinal(text, b, BeginJoined, 0, BeginJoined.Length) == 0 && before.EndsWith('\n')) before = before[..^1];
        var e = text.IndexOf(End, b, StringComparison.Ordinal);
        if (e < 0) return (before, "");
        var rest = text[(e + End.Length)..];
        return (before, rest.StartsWith('\n') ? rest[1..] : rest);
    }
}
