using System.Net;
using System.Net.Sockets;
using ShadowMcp.Reports.Model;

namespace ShadowMcp.Reports.Risk;

/// <summary>One reason a server is risky, with what was seen that makes it so.</summary>
public sealed record RiskFactor(string Name, int Points, string Evidence);

/// <summary>A server's risk, 0 to 100, and the factors that add up to it.</summary>
public sealed record RiskAssessment(int Score, IReadOnlyList<RiskFactor> Factors);

/// <summary>
/// Scores a shadow server from what the network showed of it: the verdict, whether it is outside private address
/// space, how many clients use it, tools whose names say they change or destroy things or reach the open world, and
/// MCP in plaintext, and whatever rules the weights name (tools declared destructive or open-world, tool descriptions
/// that instruct the model or hide text, requests served without credentials). Names are matched case-insensitively as substrings, so "delete_file" and "DeleteRepo" both count.
/// </summary>
public static class RiskScorer
{
    public static RiskAssessment Score(ShadowServer s, RiskWeights w)
    {
        var factors = new List<RiskFactor>();
        if (w.Shadow > 0 && s.Confidence >= 0.5)
            factors.Add(new("shadow", w.Shadow, $"unsanctioned MCP server, confidence {s.Confidence:0.00}"));
        if (w.Remote > 0 && s.Address is { } a && IPAddress.TryParse(a, out var ip) && !IsInternal(ip))
            factors.Add(new("remote", w.Remote, $"{a} is outside private address space"));
        if (w.Clients.Points > 0 && s.Clients.Count >= w.Clients.AtLeast)
            factors.Add(new("clients", w.Clients.Points, $"{s.Clients.Count} clients"));
        if (Matching(s.Tools, w.DestructiveTools) is { Count: > 0 } destructive)
            factors.Add(new("destructive tools", w.DestructiveTools.Points, string.Join(", ", destructive)));
        if (Matching(s.Tools, w.OpenWorldTools) is { Count: > 0 } open)
            factors.Add(new("open-world tools", w.OpenWorldTools.Points, string.Join(", ", open)));
        if (w.Plaintext > 0 && s.Transport is "streamable-http" or "sse-legacy" or "http" && s.Port != 443)
            factors.Add(new("plaintext", w.Plaintext, $"MCP seen unencrypted ({s.Transport}): tokens and results are readable on the wire"));
        if (w.HostSecrets > 0 && s.HostSecrets.Count > 0)
            factors.Add(new("secrets on hosts that use it", w.HostSecrets, string.Join("; ", s.HostSecrets)));
        foreach (var factor in w.Evidence)
            if (factor.Points > 0 && s.Evidence.FirstOrDefault(e => e.Rule == factor.Rule) is { } seen)
                factors.Add(new(factor.Name, factor.Points, Shown(seen)));
        return new RiskAssessment(Math.Min(100, factors.Sum(f => f.Points)), factors);
    }

    // The rule's example as evidence, capped: a tools/list answer can be long, and the first part shows the point.
    private static string Shown(EvidenceEntry seen)
    {
        var text = seen.Example ?? seen.Detail;
        var seenTimes = seen.Count == 1 ? "seen once" : $"seen {seen.Count} times";
        return $"{seen.Title} ({seenTimes}): {(text.Length <= MaxEvidenceChars ? text : text[..MaxEvidenceChars] + "…")}";
    }

    private const int MaxEvidenceChars = 300;

    private static List<string> Matching(IReadOnlyList<string> tools, RiskWeights.PatternFactor factor) =>
        factor.Points <= 0 ? [] : [.. tools.Where(t => factor.Patterns.Any(p => t.Contains(p, StringComparison.OrdinalIgnoreCase))).Take(10)];

    private static bool IsInternal(IPAddress ip)
    {
        if (IPAddress.IsLoopback(ip)) return true;
        if (ip.AddressFamily == AddressFamily.InterNetworkV6)
            return ip.IsIPv6LinkLocal || ip.IsIPv6SiteLocal || ip.IsIPv6UniqueLocal || (ip.IsIPv4MappedToIPv6 && IsInternal(ip.MapToIPv4()));
        var b = ip.GetAddressBytes();
        return b[0] == 10 || (b[0] == 172 && b[1] is >= 16 and <= 31) || (b[0] == 192 && b[1] == 168)
            || (b[0] == 169 && b[1] == 254) || (b[0] == 100 && b[1] is >= 64 and <= 127);
    }
}
