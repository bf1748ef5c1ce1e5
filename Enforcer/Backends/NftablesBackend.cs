using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using ShadowMcp.Enforcer.Planning;

namespace ShadowMcp.Enforcer.Backends;

/// <summary>
/// Blocks addresses and address:port pairs in a dedicated nftables table. The whole table is replaced in one
/// `nft -f` transaction (create-if-missing, delete, re-create), so the kernel holds either the old or the new
/// table, never a mix. State is read back from `nft -j list table`.
/// </summary>
internal sealed class NftablesBackend(string name, IReadOnlyList<string> nft, string family, string table, string action, bool addressOnly)
    : IEnforcementBackend
{
    private static readonly string[] Actions = [BlockActions.Drop, BlockActions.Reset];

    public string Name { get; } = name;

    public IReadOnlyList<BlockEntry> Select(IReadOnlyList<BlockEntry> desired) =>
        [.. desired.Where(e => e.Kind is BlockKind.Address or BlockKind.AddressPort)
            .Select(e => addressOnly
                ? new BlockEntry(BlockKind.Address, IPAddress.Parse(e.Target).ToString(), null, null, action)
                : e with { Target = IPAddress.Parse(e.Target).ToString(), Action = action })
            .Distinct()];

    public async Task<IReadOnlyList<BlockEntry>> ReadAsync(CancellationToken ct)
    {
        var r = await ToolRunner.RunAsync([.. nft, "-j", "list", "table", family, table], null, ct);
        if (r.ExitCode != 0)
        {
            ThrowIfToolMissing(r);
            // "No such file or directory" is also what a missing network namespace says: only an nft that can
            // list its tables proves the table is merely absent.
            if (r.StdErr.Contains("No such file or directory", StringComparison.Ordinal))
            {
                var tables = await ToolRunner.RunAsync([.. nft, "list", "tables"], null, ct);
                if (tables.ExitCode == 0) return [];
                throw new BackendException($"{Name}: cannot reach nftables ({string.Join(' ', nft)}): {tables.StdErr.Trim()}");
            }
            throw new BackendException($"{Name}: nft list table {family} {table} failed: {r.StdErr.Trim()}");
        }
        return ParseState(r.StdOut);
    }

    public async Task ApplyAsync(IReadOnlyList<BlockEntry> state, CancellationToken ct)
    {
        var script = BuildScript(state);
        var r = await ToolRunner.RunAsync([.. nft, "-f", "-"], script, ct);
        if (r.ExitCode != 0)
        {
            ThrowIfToolMissing(r);
            throw new BackendException($"{Name}: nft -f rejected the transaction (nothing changed): {r.StdErr.Trim()}");
        }
    }

    private static void ThrowIfToolMissing(ToolRunner.Result r)
    {
        // `ip netns exec ns nft` reports a missing nft on stderr instead of failing to start.
        if (r.ExitCode == 255 && r.StdErr.Contains("exec of \"nft\" failed", StringComparison.Ordinal))
            throw new MissingToolException("nft", "nftables");
    }

    internal static string SetName(bool v6, bool port, string action) => $"{(v6 ? "v6" : "v4")}{(port ? "_port" : "")}_{action}";

    internal string BuildScript(IReadOnlyList<BlockEntry> state)
    {
        var sb = new StringBuilder();
        // Creating then deleting makes the delete valid whether or not the table exists; all of it is one transaction.
        sb.Append("table ").Append(family).Append(' ').Append(table).Append(" {}\n");
        sb.Append("delete table ").Append(family).Append(' ').Append(table).Append('\n');
        if (state.Count == 0) return sb.ToString();

        sb.Append("table ").Append(family).Append(' ').Append(table).Append(" {\n");
        var rules = new List<string>();
        foreach (var action in Actions)
        {
            foreach (var v6 in new[] { false, true })
            {
                foreach (var port in new[] { false, true })
                {
                    var members = state.Where(e => e.Action == action
                        && (e.Kind == BlockKind.AddressPort) == port
                        && (IPAddress.Parse(e.Target).AddressFamily == AddressFamily.InterNetworkV6) == v6).ToList();
                    if (members.Count == 0) continue;
                    var set = SetName(v6, port, action);
                    var type = (v6 ? "ipv6_addr" : "ipv4_addr") + (port ? " . inet_service" : "");
                    var elements = string.Join(", ", members.Select(e => port ? $"{e.Target} . {e.Port}" : e.Target));
                    sb.Append("  set ").Append(set).Append(" { type ").Append(type).Append("; elements = { ").Append(elements).Append(" } }\n");
                    var match = (v6 ? "ip6" : "ip") + " daddr" + (port ? " . tcp dport" : "") + " @" + set;
                    if (action == BlockActions.Drop)
                    {
                        rules.Add(match + " drop");
                    }
                    else
                    {
                        rules.Add(match + " meta l4proto tcp reject with tcp reset");
                        if (!port) rules.Add(match + " drop");
                    }
                }
            }
        }
        foreach (var hook in new[] { "input", "forward", "output" })
        {
            sb.Append("  chain ").Append(hook).Append(" {\n    type filter hook ").Append(hook).Append(" priority filter; policy accept;\n");
            foreach (var rule in rules) sb.Append("    ").Append(rule).Append('\n');
            sb.Append("  }\n");
        }
        sb.Append("}\n");
        return sb.ToString();
    }

    internal static IReadOnlyList<BlockEntry> ParseState(string json)
    {
        var entries = new List<BlockEntry>();
        using var doc = JsonDocument.Parse(json);
        foreach (var item in doc.RootElement.GetProperty("nftables").EnumerateArray())
        {
            if (!item.TryGetProperty("set", out var set)) continue;
            var setName = set.GetProperty("name").GetString() ?? "";
            var action = Actions.FirstOrDefault(a => setName.EndsWith("_" + a, StringComparison.Ordinal));
            if (action is null || !set.TryGetProperty("elem", out var elems)) continue;
            foreach (var el in elems.EnumerateArray())
            {
                var value = el.ValueKind == JsonValueKind.Object && el.TryGetProperty("elem", out var inner) ? inner.GetProperty("val") : el;
                if (value.ValueKind == JsonValueKind.String)
                {
                    entries.Add(new BlockEntry(BlockKind.Address, IPAddress.Parse(value.GetString()!).ToString(), null, null, action));
                }
                else if (value.ValueKind == JsonValueKind.Object && value.TryGetProperty("concat", out var concat))
                {
                    var parts = concat.EnumerateArray().ToArray();
                    var port = parts[1].ValueKind == JsonValueKind.Number ? parts[1].GetInt32() : int.Parse(parts[1].GetString()!);
                    entries.Add(new BlockEntry(BlockKind.AddressPort, IPAddress.Parse(parts[0].GetString()!).ToString(), port, null, action));
                }
            }
        }
        return entries;
    }
}
