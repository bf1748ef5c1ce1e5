using System.Globalization;
using System.Net;
using ShadowMcp.Core.Findings;
using ShadowMcp.Core.Text;
using YamlDotNet.RepresentationModel;

namespace ShadowMcp.Enforcer.Policy;

/// <summary>Reads the policy YAML. Every error names file:line:column and what was expected.</summary>
public static class PolicyLoader
{
    public static readonly IReadOnlyList<string> BackendTypes =
        ["nftables", "unbound", "rpz", "dnsmasq", "hosts", "squid", "cloudflare", "webhook"];

    private static readonly Dictionary<string, string[]> BackendKeys = new(StringComparer.Ordinal)
    {
        ["nftables"] = ["type", "name", "table", "action", "scope", "command"],
        ["unbound"] = ["type", "name", "path", "reload", "ttl", "control"],
        ["rpz"] = ["type", "name", "path", "zone", "reload"],
        ["dnsmasq"] = ["type", "name", "path", "reload"],
        ["hosts"] = ["type", "name", "path"],
        ["squid"] =
        [
            "type", "name", "path", "reconfigure", "deny_info", "scope", "manager", "manager_password_env",
            "reconfigure_wait_ms",
        ],
        ["cloudflare"] = ["type", "name", "url", "account_id", "token_env"],
        ["webhook"] = ["type", "name", "url", "secret_env", "retries", "backoff_ms", "timeout_ms"],
    };

    public static EnforcementPolicy LoadFile(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new PolicyException($"{path}: cannot read the policy: {ex.Message}");
        }
        return Parse(text, path);
    }

    public static EnforcementPolicy Parse(string text, string file)
    {
        var y = new YamlReader(file);
        var rootNode = y.LoadRoot(text) ?? throw new PolicyException($"{file}:1:1: the policy is empty");
        var root = y.Map(rootNode, "the policy");
        var select = new FindingSelection([Verdict.Shadow], 0, "informational");
        var exceptions = PolicyExceptions.None;
        var mode = EnforcementMode.Block;
        TimeSpan? ttl = null;
        var portal = new PortalSettings(null, [], []);
        IReadOnlyList<SanctionedEndpoint> allow = [];
        var backends = new List<BackendSettings>();
        foreach (var (key, _, value) in y.Entries(root, "the policy", "version", "select", "exceptions", "mode", "ttl", "portal", "allow", "backends"))
        {
            switch (key)
            {
                case "version":
                    if (y.Int(value, "version", 1, 1) != 1) throw y.Error(value, "only version 1 is known");
                    break;
                case "select": select = ParseSelect(y, y.Map(value, "select")); break;
                case "exceptions": exceptions = ParseExceptions(y, y.Map(value, "exceptions")); break;
                case "mode":
                    mode = y.Str(value, "mode") switch
                    {
                        "block" => EnforcementMode.Block,
                        "redirect" => EnforcementMode.Redirect,
                        var m => throw y.Error(value, $"mode '{m}' is not block or redirect"),
                    };
                    break;
                case "ttl": ttl = ParseTtl(y, value); break;
                case "portal": portal = ParsePortal(y, y.Map(value, "portal")); break;
                case "allow": allow = ParseAllow(y, value); break;
                case "backends":
                    foreach (var b in y.Seq(value, "backends").Children) backends.Add(ParseBackend(y, y.Map(b, "a backend")));
                    break;
            }
        }
        if (mode == EnforcementMode.Redirect && portal.Addresses.Count == 0)
            throw new PolicyException($"{file}:{rootNode.Start.Line}:{rootNode.Start.Column}: mode redirect needs portal.addresses");
        var dup = backends.GroupBy(b => b.Name).FirstOrDefault(g => g.Count() > 1);
        if (dup is not null) throw new PolicyException($"{dup.Last().Origin}: backend name '{dup.Key}' is used twice");
        return new EnforcementPolicy(select, exceptions, mode, ttl, portal, allow, backends);
    }

    /// <summary>Reads an allow-list file: a YAML list of {host, address, port, path, reason}.</summary>
    public static IReadOnlyList<SanctionedEndpoint> LoadAllowFile(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new PolicyException($"{path}: cannot read the allow list: {ex.Message}");
        }
        var y = new YamlReader(path);
        var root = y.LoadRoot(text);
        return root is null ? [] : ParseAllow(y, root);
    }

    private static FindingSelection ParseSelect(YamlReader y, YamlMappingNode map)
    {
        var verdicts = new List<Verdict> { Verdict.Shadow };
        double confidence = 0;
        var level = "informational";
        IReadOnlySet<FindingBasis> bases = FindingSelection.DefaultBases;
        foreach (var (key, _, value) in y.Entries(map, "select", "verdicts", "min_confidence", "min_level", "bases"))
        {
            switch (key)
            {
                case "verdicts":
                    verdicts = [];
                    foreach (var v in y.Seq(value, "verdicts").Children)
                    {
                        var s = y.Str(v, "verdict");
                        if (!VerdictNames.TryParse(s, out var verdict)) throw y.Error(v, $"verdict '{s}' is not shadow, suspected or sanctioned");
                        if (verdict == Verdict.Sanctioned) throw y.Error(v, "sanctioned findings can never be blocked");
                        verdicts.Add(verdict);
                    }
                    break;
                case "min_confidence": confidence = y.Double(value, "min_confidence", 0, 1); break;
                case "min_level":
                    level = y.Str(value, "min_level").ToLowerInvariant();
                    if (!FindingSelection.Levels.Contains(level))
                        throw y.Error(value, $"min_level '{level}' is not one of {string.Join(", ", FindingSelection.Levels)}");
                    break;
                case "bases": bases = ParseBases(y, value); break;
            }
        }
        return new FindingSelection(verdicts, confidence, level) { Bases = bases };
    }

    /// <summary>
    /// <c>select.bases</c>: the finding bases that may be blocked. <c>probe</c> is refused with a pointer to
    /// <c>content</c>, since the enforcer judges a probe's finding by the MCP content it read.
    /// </summary>
    private static HashSet<FindingBasis> ParseBases(YamlReader y, YamlNode value)
    {
        var bases = new HashSet<FindingBasis>();
        var allowed = string.Join(", ", FindingBasisNames.All.Where(b => b != FindingBasis.Probe).Select(b => b.ToWire()));
        foreach (var v in y.Seq(value, "bases").Children)
        {
            var s = y.Str(v, "basis");
            if (!FindingBasisNames.TryParse(s, out var basis))
                throw y.Error(v, $"basis '{s}' is not one of {allowed}");
            if (basis == FindingBasis.Probe)
                throw y.Error(v, "basis 'probe' is judged by the MCP content the probe read: list 'content'");
            bases.Add(basis);
        }
        if (bases.Count == 0) throw y.Error(value, $"bases is empty: nothing could be blocked (list some of {allowed})");
        return bases;
    }

    private static PolicyExceptions ParseExceptions(YamlReader y, YamlMappingNode map)
    {
        IReadOnlyList<string> hosts = [], findings = [];
        var networks = new List<IPNetwork>();
        foreach (var (key, _, value) in y.Entries(map, "exceptions", "hosts", "cidrs", "findings"))
        {
            switch (key)
            {
                case "hosts": hosts = y.StrList(value, "exceptions.hosts"); break;
                case "findings": findings = y.StrList(value, "exceptions.findings"); break;
                case "cidrs":
                    foreach (var c in y.Seq(value, "exceptions.cidrs").Children)
                    {
                        var s = y.Str(c, "cidr");
                        if (!IPNetwork.TryParse(s.Contains('/') ? s : s + (s.Contains(':') ? "/128" : "/32"), out var net))
                            throw y.Error(c, $"'{s}' is not a CIDR such as 10.0.0.0/8");
                        networks.Add(net);
                    }
                    break;
            }
        }
        return new PolicyExceptions(hosts, networks, findings);
    }

    private static TimeSpan? ParseTtl(YamlReader y, YamlNode node)
    {
        var s = y.Str(node, "ttl").Trim();
        if (s is "" or "none") return null;
        var unit = s[^1];
        if (!double.TryParse(s[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var n) || n <= 0)
            throw y.Error(node, $"ttl '{s}' is not like 90s, 30m, 12h, 7d or none");
        return unit switch
        {
            's' => TimeSpan.FromSeconds(n),
            'm' => TimeSpan.FromMinutes(n),
            'h' => TimeSpan.FromHours(n),
            'd' => TimeSpan.FromDays(n),
            _ => throw y.Error(node, $"ttl '{s}' is not like 90s, 30m, 12h, 7d or none"),
        };
    }

    private static PortalSettings ParsePortal(YamlReader y, YamlMappingNode map)
    {
        string? url = null;
        IReadOnlyList<string> hosts = [], addresses = [];
        foreach (var (key, _, value) in y.Entries(map, "portal", "url", "hosts", "addresses"))
        {
            switch (key)
            {
                case "url":
                    url = y.Str(value, "portal.url");
                    if (!Uri.TryCreate(url, UriKind.Absolute, out _)) throw y.Error(value, $"portal.url '{url}' is not an absolute URL");
                    break;
                case "hosts": hosts = y.StrList(value, "portal.hosts"); break;
                case "addresses":
                    addresses = y.StrList(value, "portal.addresses");
                    foreach (var (a, i) in addresses.Select((a, i) => (a, i)))
                        if (!IPAddress.TryParse(a, out _)) throw y.Error(((YamlSequenceNode)value).Children[i], $"'{a}' is not an IP address");
                    break;
            }
        }
        if (url is not null && Uri.TryCreate(url, UriKind.Absolute, out var u) && !IPAddress.TryParse(u.Host, out _) && !hosts.Contains(u.Host))
            hosts = [.. hosts, u.Host];
        return new PortalSettings(url, hosts, addresses);
    }

    private static IReadOnlyList<SanctionedEndpoint> ParseAllow(YamlReader y, YamlNode node)
    {
        var list = new List<SanctionedEndpoint>();
        foreach (var item in y.Seq(node, "the allow list").Children)
        {
            string? host = null, address = null, path = null, reason = null;
            int? port = null;
            foreach (var (key, _, value) in y.Entries(y.Map(item, "an allow entry"), "an allow entry", "host", "address", "port", "path", "reason"))
            {
                switch (key)
                {
                    case "host": host = y.Str(value, "host"); break;
                    case "address":
                        address = y.Str(value, "address");
                        if (!IPAddress.TryParse(address, out _)) throw y.Error(value, $"'{address}' is not an IP address");
                        break;
                    case "port": port = y.Int(value, "port", 1, 65535); break;
                    case "path":
                        path = y.Str(value, "path");
                        if (!UrlPathForms.IsPlain(path))
                            throw y.Error(value, $"'{TerminalText.Escape(path)}' is not a plain path starting with '/' (no '.' or '..' segments, '//', '\\', or encoded '.', '/', '%')");
                        break;
                    case "reason": reason = y.Str(value, "reason"); break;
                }
            }
            if (host is null && address is null) throw y.Error(item, "an allow entry needs host or address");
            list.Add(new SanctionedEndpoint(host, address, port, path, reason ?? $"allow list ({y.At(item)})"));
        }
        return list;
    }

    private static BackendSettings ParseBackend(YamlReader y, YamlMappingNode map)
    {
        var typeNode = map.Children.FirstOrDefault(kv => kv.Key is YamlScalarNode { Value: "type" }).Value
            ?? throw y.Error(map, $"a backend needs 'type' (one of: {string.Join(", ", BackendTypes)})");
        var type = y.Str(typeNode, "type");
        if (!BackendKeys.TryGetValue(type, out var known))
            throw y.Error(typeNode, $"backend type '{type}' is not one of: {string.Join(", ", BackendTypes)}");
        var scalars = new Dictionary<string, string>(StringComparer.Ordinal);
        var lists = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var (key, _, value) in y.Entries(map, $"a {type} backend", known))
        {
            if (value is YamlSequenceNode) lists[key] = y.StrList(value, key);
            else scalars[key] = y.Str(value, key);
            if (key is "retries") y.Int(value, key, 0, 20);
            if (key is "backoff_ms" or "timeout_ms" or "ttl" or "reconfigure_wait_ms") y.Int(value, key, 0, 600_000);
            if (key == "action" && scalars[key] is not ("drop" or "reset")) throw y.Error(value, "action must be drop or reset");
            if (key == "scope" && type == "nftables" && scalars[key] is not ("address" or "address-port")) throw y.Error(value, "scope must be address or address-port");
            if (key == "scope" && type == "squid" && scalars[key] is not ("host" or "path")) throw y.Error(value, "scope must be host or path");
        }
        var name = scalars.GetValueOrDefault("name") ?? type;
        return new BackendSettings(type, name, scalars, lists, y.At(map));
    }
}
