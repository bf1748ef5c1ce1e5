using System.Text;
using ShadowMcp.Enforcer.Planning;

namespace ShadowMcp.Enforcer.Backends;

/// <summary>
/// A Squid ACL include: dstdomain ACLs deny whole hosts (with subdomains), dstdomain plus urlpath_regex pairs
/// deny one MCP path (by whole segments) on a shared host, and CONNECT to such a host is denied too, because a
/// path inside TLS is invisible without SSL bump (so path scope stops all HTTPS to that host: the documented
/// trade-off, which the safety check accounts for). `squid -k reconfigure` makes it live. Include it before
/// your own http_access allow lines. With a cache manager configured, what it holds is what Squid has loaded
/// (<c>mgr:config</c>), not only what the file says: a block written but never loaded is not held.
/// </summary>
internal sealed class SquidBackend(
    string name, string path, IReadOnlyList<string> reconfigure, string? denyInfo, bool wholeHosts,
    SquidManager? manager = null)
    : FileBackend(name, path, reconfigure)
{
    private const string HostsAcl = "shadowmcp_hosts";
    private const string ConnectAcl = "shadowmcp_connect";
    // After the escaped path: the next character ends a segment (or the path ends), so ^/mcp never denies /mcpdocs.
    internal const string SegmentEnd = "([/?;]|$)";

    /// <summary>Whole hosts with subdomains; a path rule reaches its path over HTTP and the whole host over CONNECT.</summary>
    public override IEnumerable<Reach> ReachOf(BlockEntry written) => written.Kind == BlockKind.HostPath
        ? [Reach.ForName(written.Target, subdomains: false, written.Path), Reach.ForName(written.Target, subdomains: false)]
        : [Reach.ForName(written.Target, subdomains: true)];

    public override IReadOnlyList<BlockEntry> Select(IReadOnlyList<BlockEntry> desired)
    {
        var paths = wholeHosts ? [] : desired
            .Where(e => e.Kind == BlockKind.HostPath && e.Path!.TrimEnd('/').Length > 0)
            .Select(e => e with { Action = BlockActions.Block, Path = e.Path!.TrimEnd('/') }).Distinct().ToList();
        var pathHosts = paths.Select(p => p.Target).ToHashSet(StringComparer.Ordinal);
        var hosts = desired.Where(e => e.Kind == BlockKind.Host && !pathHosts.Contains(e.Target)).Select(e => e.Target).Distinct().ToList();
        // Squid rejects a dstdomain list holding both .a.example and b.a.example; the parent covers the child.
        var all = hosts.ToHashSet(StringComparer.Ordinal);
        hosts = [.. hosts.Where(h => !HasAncestorIn(h, all))];
        var kept = hosts.ToHashSet(StringComparer.Ordinal);
        paths = [.. paths.Where(p => !kept.Contains(p.Target) && !HasAncestorIn(p.Target, kept))];
        return [.. hosts.Select(h => new BlockEntry(BlockKind.Host, h, null, null, BlockActions.Block)), .. paths];
    }

    private static bool HasAncestorIn(string name, HashSet<string> names)
    {
        for (var dot = name.IndexOf('.'); dot >= 0; dot = name.IndexOf('.', dot + 1))
            if (names.Contains(name[(dot + 1)..])) return true;
        return false;
    }

    protected override string Render(IReadOnlyList<BlockEntry> state, string? previous)
    {
        var sb = new StringBuilder().Append(Header).Append('\n');
        var hosts = state.Where(e => e.Kind == BlockKind.Host).ToList();
        var paths = state.Where(e => e.Kind == BlockKind.HostPath).ToList();
        if (paths.Count > 0) sb.Append($"acl {ConnectAcl} method CONNECT\n");
        for (var i = 0; i < paths.Count; i++)
        {
            sb.Append($"acl shadowmcp_p{i}_host dstdomain {paths[i].Target}\n");
            sb.Append($"acl shadowmcp_p{i}_path urlpath_regex ^{EscapeEre(paths[i].Path!)}{SegmentEnd}\n");
            sb.Append($"http_access deny shadowmcp_p{i}_host shadowmcp_p{i}_path\n");
            sb.Append($"http_access deny {ConnectAcl} shadowmcp_p{i}_host\n");
            if (denyInfo is not null) sb.Append($"deny_info {denyInfo} shadowmcp_p{i}_path\n");
        }
        if (hosts.Count > 0)
        {
            foreach (var h in hosts) sb.Append($"acl {HostsAcl} dstdomain .{h.Target}\n");
            sb.Append($"http_access deny {HostsAcl}\n");
            if (denyInfo is not null) sb.Append($"deny_info {denyInfo} {HostsAcl}\n");
        }
        return sb.ToString();
    }

    public override async Task<IReadOnlyList<BlockEntry>> ReadAsync(CancellationToken ct) =>
        manager is null ? ReadFile() : Parse(await manager.ReadConfigAsync(ct));

    /// <summary>`squid -k reconfigure` only signals: wait until the loaded config says what the file says.</summary>
    protected override async Task AfterReloadAsync(CancellationToken ct)
    {
        if (manager is null) return;
        var want = ReadFile().ToHashSet();
        var started = manager.Time.GetTimestamp();
        while (true)
        {
            try
            {
                if (Parse(await manager.ReadConfigAsync(ct)).ToHashSet().SetEquals(want)) return;
            }
            catch (BackendException)
            {
                // Squid closes its ports while it reconfigures; keep asking until the wait is over.
            }
            if (manager.Time.GetElapsedTime(started) >= manager.ReconfigureWait) return;
            await Task.Delay(TimeSpan.FromMilliseconds(100), manager.Time, ct);
        }
    }

    /// <summary>
    /// Our ACLs from the include file or from Squid's config dump. The dump lists one ACL's values on one line,
    /// wraps a regex in parentheses and may order ACLs differently, so host and path halves are joined by name.
    /// </summary>
    protected override IReadOnlyList<BlockEntry> Parse(string text)
    {
        var entries = new List<BlockEntry>();
        var pathHosts = new Dictionary<string, string>(StringComparer.Ordinal);
        var pathRegexes = new List<(string Acl, string Regex)>();
        foreach (var raw in text.Split('\n'))
        {
            var f = raw.Split([' ', '\t', '\r'], StringSplitOptions.RemoveEmptyEntries);
            if (f.Length < 4 || f[0] != "acl") continue;
            if (f[1] == HostsAcl && f[2] == "dstdomain")
            {
                foreach (var host in f.AsSpan(3))
                    entries.Add(new BlockEntry(BlockKind.Host, host.TrimStart('.'), null, null, BlockActions.Block));
            }
            else if (f.Length == 4 && f[1].StartsWith("shadowmcp_p", StringComparison.Ordinal))
            {
                var acl = f[1][..^5];
                if (f[1].EndsWith("_host", StringComparison.Ordinal) && f[2] == "dstdomain") pathHosts[acl] = f[3];
                else if (f[1].EndsWith("_path", StringComparison.Ordinal) && f[2] == "urlpath_regex")
                    pathRegexes.Add((acl, f[3]));
            }
        }
        foreach (var (acl, written) in pathRegexes)
        {
            if (!pathHosts.TryGetValue(acl, out var host)) continue;
            var wrapped = written.StartsWith("(^", StringComparison.Ordinal) && written.EndsWith(')');
            var regex = wrapped ? written[1..^1] : written;
            if (!regex.StartsWith('^')) continue;
            regex = regex[1..];
            if (regex.EndsWith(SegmentEnd, StringComparison.Ordinal)) regex = regex[..^SegmentEnd.Length];
            entries.Add(new BlockEntry(BlockKind.HostPath, host, null, UnescapeEre(regex), BlockActions.Block));
        }
        return entries;
    }

    private const string Space = "[[:space:]]";

    /// <summary>
    /// A literal path as a POSIX extended regex that stays one squid.conf token: metacharacters get a
    /// backslash, and whitespace (which would split the token) becomes [[:space:]], which reads back as a space.
    /// </summary>
    internal static string EscapeEre(string literal)
    {
        var sb = new StringBuilder();
        foreach (var c in literal)
        {
            if (c is ' ' or '\t') sb.Append(Space);
            else if (".[]()*+?{}|^$\\".Contains(c)) sb.Append('\\').Append(c);
            else sb.Append(c);
        }
        return sb.ToString();
    }

    internal static string UnescapeEre(string regex)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < regex.Length; i++)
        {
            if (string.CompareOrdinal(regex, i, Space, 0, Space.Length) == 0)
            {
                sb.Append(' ');
                i += Space.Length - 1;
            }
            else if (regex[i] == '\\' && i + 1 < regex.Length) sb.Append(regex[++i]);
            else sb.Append(regex[i]);
        }
        return sb.ToString();
    }
}
