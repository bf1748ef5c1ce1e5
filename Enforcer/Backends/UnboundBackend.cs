using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using ShadowMcp.Enforcer.Planning;

namespace ShadowMcp.Enforcer.Backends;

/// <summary>
/// An Unbound include file of local-zone/local-data: always_nxdomain to block a name and its subdomains, or
/// a redirect zone answering with the portal's addresses. `unbound-control reload` makes it live. What it
/// holds is what the running resolver has loaded (`unbound-control list_local_zones`), not only what the file
/// says: a block written but never loaded is not held.
/// </summary>
internal sealed partial class UnboundBackend(string name, string path, IReadOnlyList<string> reload, int ttl, IReadOnlyList<string>? control)
    : FileBackend(name, path, reload)
{
    /// <summary>The control command: as configured, else the reload command without its final "reload".</summary>
    private IReadOnlyList<string>? Control => control ?? (Reload is [.., "reload"] ? [.. Reload.Take(Reload.Count - 1)] : null);

    public override async Task<IReadOnlyList<BlockEntry>> ReadAsync(CancellationToken ct)
    {
        var file = ReadFile();
        if (Control is not { Count: > 0 } command) return file;
        var listing = await ToolRunner.RunCheckedAsync([.. command, "list_local_zones"], null, ct);
        var live = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in listing.Split('\n'))
        {
            var f = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (f.Length >= 2) live[f[0].TrimEnd('.').ToLowerInvariant()] = f[1];
        }
        return [.. file.Where(e => live.TryGetValue(e.Target, out var type)
            && type == (BlockActions.IsRedirect(e.Action) ? "redirect" : "always_nxdomain"))];
    }

    protected override string Render(IReadOnlyList<BlockEntry> state, string? previous)
    {
        var sb = new StringBuilder().Append(Header).Append("\nserver:\n");
        foreach (var e in state)
        {
            if (BlockActions.IsRedirect(e.Action))
            {
                sb.Append($"  local-zone: \"{e.Target}.\" redirect\n");
                foreach (var a in BlockActions.RedirectTargets(e.Action))
                {
                    var type = a.Contains(':') ? "AAAA" : "A";
                    sb.Append($"  local-data: \"{e.Target}. {ttl} IN {type} {a}\"\n");
                }
            }
            else
            {
                sb.Append($"  local-zone: \"{e.Target}.\" always_nxdomain\n");
            }
        }
        return sb.ToString();
    }

    protected override IReadOnlyList<BlockEntry> Parse(string text)
    {
        var zones = new List<(string Name, string Type)>();
        var data = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n'))
        {
            if (LocalZone().Match(line) is { Success: true } z) zones.Add((z.Groups[1].Value.ToLowerInvariant(), z.Groups[2].Value));
            else if (LocalData().Match(line) is { Success: true } d && IPAddress.TryParse(d.Groups[2].Value, out _))
            {
                var key = d.Groups[1].Value.ToLowerInvariant();
                if (!data.TryGetValue(key, out var list)) data[key] = list = [];
                list.Add(d.Groups[2].Value);
            }
        }
        return [.. zones.Select(z => new BlockEntry(BlockKind.Host, z.Name, null, null,
            z.Type == "redirect" ? BlockActions.Redirect(data.GetValueOrDefault(z.Name) ?? []) : BlockActions.Block))];
    }

    [GeneratedRegex("""^\s*local-zone:\s*"([^"]+?)\.?"\s+(\S+)""")]
    private static partial Regex LocalZone();

    [GeneratedRegex("""^\s*local-data:\s*"([^"\s]+?)\.?\s+\d+\s+IN\s+(?:A|AAAA)\s+([^"\s]+)\s*"?""")]
    private static partial Regex LocalData();
}
