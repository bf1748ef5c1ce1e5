using System.Net;
using System.Text.RegularExpressions;
using ShadowMcp.Core.Observations;

namespace ShadowMcp.Classifier.Matching;

/// <summary>
/// One <c>field|modifier: value(s)</c> entry of a selection. A field may hold several values; the matcher holds
/// when any field value matches any listed value (with <c>|all</c>: every listed value is matched by some field
/// value). Strings compare case-insensitively unless <c>|cased</c>; <c>re</c> is case-sensitive (use <c>(?i)</c>).
/// A null listed value means "the field is absent".
/// </summary>
internal sealed class FieldMatcher
{
    public required string Field { get; init; }
    public required MatchOperator Operator { get; init; }
    public bool All { get; init; }
    public bool CaseSensitive { get; init; }
    /// <summary>The listed values; a null entry stands for "absent".</summary>
    public required IReadOnlyList<string?> Values { get; init; }
    public IReadOnlyList<Regex> Patterns { get; init; } = [];
    public IReadOnlyList<IPNetwork> Networks { get; init; } = [];
    public bool ExpectExists { get; init; }
    /// <summary>
    /// For <c>host|catalog: shared-path</c>: the MCP path of each listed host. A host value then matches only
    /// when the observation's <c>path</c> lies under that path (a shared host also serves non-MCP APIs).
    /// </summary>
    public IReadOnlyList<string>? CatalogPaths { get; init; }

    public const string PathField = "path";

    private StringComparison Comparison => CaseSensitive ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase;

    public bool Matches(Observation observation)
    {
        if (CatalogPaths is not null) return MatchesSharedPath(observation);
        if (FieldValues.IsVirtual(Field))
        {
            var v = FieldValues.Virtual(observation, Field);
            return MatchesValues(v is null ? [] : [v]);
        }
        // Most fields hold one value; only collect when the path repeats.
        List<string>? values = null;
        string? single = null;
        foreach (var kv in observation.Fields)
        {
            if (!string.Equals(kv.Key, Field, StringComparison.Ordinal)) continue;
            if (single is null) single = kv.Value;
            else (values ??= [single]).Add(kv.Value);
        }
        if (values is not null) return MatchesValues(values);
        return MatchesValues(single is null ? [] : [single]);
    }

    private bool MatchesValues(IReadOnlyList<string> fieldValues)
    {
        if (Operator == MatchOperator.Exists) return (fieldValues.Count > 0) == ExpectExists;

        var count = Operator switch
        {
            MatchOperator.Regex => Patterns.Count,
            MatchOperator.Cidr => Networks.Count,
            _ => Values.Count,
        };
        for (var i = 0; i < count; i++)
        {
            var hit = MatchesOne(i, fieldValues);
            if (All && !hit) return false;
            if (!All && hit) return true;
        }
        return All && count > 0;
    }

    private bool MatchesOne(int index, IReadOnlyList<string> fieldValues)
    {
        if (Operator is not (MatchOperator.Regex or MatchOperator.Cidr) && Values[index] is null)
            return fieldValues.Count == 0;
        foreach (var fieldValue in fieldValues)
            if (MatchesValue(index, fieldValue)) return true;
        return false;
    }

    private bool MatchesValue(int index, string fieldValue)
    {
        switch (Operator)
        {
            case MatchOperator.Equals: return string.Equals(fieldValue, Values[index], Comparison);
            case MatchOperator.Contains: return fieldValue.Contains(Values[index]!, Comparison);
            case MatchOperator.StartsWith: return fieldValue.StartsWith(Values[index]!, Comparison);
            case MatchOperator.EndsWith: return fieldValue.EndsWith(Values[index]!, Comparison);
            case MatchOperator.Regex:
                try { return Patterns[index].IsMatch(fieldValue); }
                catch (RegexMatchTimeoutException) { return false; }
            case MatchOperator.Cidr:
                return IPAddress.TryParse(fieldValue, out var address) && Networks[index].Contains(Normalize(address));
            default: return false;
        }
    }

    private bool MatchesSharedPath(Observation observation)
    {
        string? host = null, path = null;
        foreach (var kv in observation.Fields)
        {
            if (host is null && string.Equals(kv.Key, Field, StringComparison.Ordinal)) host = kv.Value;
            else if (path is null && string.Equals(kv.Key, PathField, StringComparison.Ordinal)) path = kv.Value;
        }
        if (host is null || path is null) return false;
        for (var i = 0; i < Values.Count; i++)
            if (string.Equals(host, Values[i], Comparison) && IsUnder(path, CatalogPaths![i])) return true;
        return false;
    }

    /// <summary>
    /// True when <paramref name="path"/> is <paramref name="root"/> or below it, on a segment boundary:
    /// "/mcp/" covers "/mcp", "/mcp/", "/mcp/sse" and "/mcp?x", not "/mcpx" or "/chat/completions".
    /// </summary>
    internal static bool IsUnder(string path, string root)
    {
        var prefix = root.AsSpan().TrimEnd('/');
        if (!path.AsSpan().StartsWith(prefix, StringComparison.OrdinalIgnoreCase)) return false;
        if (path.Length == prefix.Length) return true;
        return path[prefix.Length] is '/' or '?' or '#';
    }

    // An IPv4 address written as ::ffff:a.b.c.d still belongs to an IPv4 network.
    private static IPAddress Normalize(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
}
