using System.Buffers;
using System.Collections.Frozen;
using System.Net;
using System.Text.RegularExpressions;
using ShadowMcp.Core.Observations;
using ShadowMcp.Core.Text;

namespace ShadowMcp.Classifier.Matching;

/// <summary>
/// One <c>field|modifier: value(s)</c> entry of a selection. A field may hold several values; the matcher holds
/// when any field value matches any listed value (with <c>|all</c>: every listed value is matched by some field
/// value). Strings compare case-insensitively unless <c>|cased</c>; <c>re</c> is case-sensitive (use <c>(?i)</c>).
/// A null listed value means "the field is absent".
/// </summary>
internal sealed class FieldMatcher
{
    /// <summary>
    /// The field's path, taken from the string cache the Scanner makes paths with: the observation's key is then the
    /// same object, and finding it in the bag is a reference test, not a comparison per field of the same length.
    /// </summary>
    public required string Field { get => _field; init => _field = StringCache.Get(value); }
    private readonly string _field = "";
    public required MatchOperator Operator { get; init; }
    public bool All { get; init; }
    public bool CaseSensitive { get; init; }
    /// <summary>The listed values; a null entry stands for "absent".</summary>
    public required IReadOnlyList<string?> Values { get; init; }
    public IReadOnlyList<RulePattern> Patterns { get; init; } = [];
    public IReadOnlyList<IPNetwork> Networks { get; init; } = [];
    public bool ExpectExists { get; init; }
    /// <summary>
    /// For <c>host|catalog: shared-path</c>: the MCP path of each listed host. A host value then matches only
    /// when the observation's <c>path</c> lies under that path (a shared host also serves non-MCP APIs).
    /// </summary>
    public IReadOnlyList<string>? CatalogPaths { get; init; }

    // From the string cache too, like Field.
    public static readonly string PathField = StringCache.Get("path");

    /// <summary>
    /// The fields that must be present for this matcher to hold: its field unless an absent field can match
    /// (<c>exists: false</c>, a listed null), and the path as well for a shared-path catalog. Virtual <c>flow.*</c>
    /// fields are always there and never required.
    /// </summary>
    public IEnumerable<string> RequiredFields()
    {
        if (FieldValues.IsVirtual(Field)) yield break;
        if (CatalogPaths is not null)
        {
            yield return Field;
            yield return PathField;
            yield break;
        }
        // The same test matching applies to an absent field (Compile has set its flags by the time rules are indexed).
        if (!MatchesAbsent()) yield return Field;
    }

    private StringComparison Comparison => CaseSensitive ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase;

    public bool Matches(Observation observation)
    {
        if (CatalogPaths is not null) return MatchesSharedPath(observation);
        if (FieldValues.IsVirtual(Field))
        {
            var v = FieldValues.Virtual(observation, Field);
            return v is null ? MatchesAbsent() : MatchesPresent(v);
        }
        // Scan the paths once for the first value; most fields are absent from most observations. Only values of this
        // field are read, so a body or an event's data no rule of this kind tests is never decoded.
        var fields = observation.Fields;
        var first = fields.IndexOf(Field);
        return first < 0 ? MatchesAbsent() : MatchesPresent(fields, first);
    }

    /// <summary>The field has no value: only <c>exists: false</c> and the listed null ("absent") can hold.</summary>
    private bool MatchesAbsent()
    {
        if (Operator == MatchOperator.Exists) return !ExpectExists;
        if (Operator is MatchOperator.Regex or MatchOperator.Cidr) return false;
        return All ? Values.Count > 0 && _allNull : _anyNull;
    }

    /// <summary>The field's values are at <paramref name="first"/> and at later indexes with the same path.</summary>
    private bool MatchesPresent(FieldBag fields, int first)
    {
        if (Operator == MatchOperator.Exists) return ExpectExists;
        if (!All)
        {
            for (var i = first; i >= 0; i = fields.IndexOf(Field, i + 1))
                if (MatchesAny(fields.ValueAt(i))) return true;
            return false;
        }
        var count = ListedCount;
        for (var v = 0; v < count; v++)
        {
            var hit = false;
            for (var i = first; i >= 0; i = fields.IndexOf(Field, i + 1))
                if (MatchesValue(v, fields.ValueAt(i))) { hit = true; break; }
            if (!hit) return false;
        }
        return count > 0;
    }

    /// <summary>The field has exactly one value (a virtual <c>flow.*</c> field).</summary>
    private bool MatchesPresent(string value)
    {
        if (Operator == MatchOperator.Exists) return ExpectExists;
        if (!All) return MatchesAny(value);
        var count = ListedCount;
        for (var v = 0; v < count; v++)
            if (!MatchesValue(v, value)) return false;
        return count > 0;
    }

    private int ListedCount => Operator switch
    {
        MatchOperator.Regex => Patterns.Count,
        MatchOperator.Cidr => Networks.Count,
        _ => Values.Count,
    };

    /// <summary>True when one field value matches any listed value; a set or <see cref="SearchValues{T}"/> when compiled.</summary>
    private bool MatchesAny(string fieldValue)
    {
        if (_equalsSet is not null) return _equalsSet.Contains(fieldValue);
        if (_containsAny is not null) return fieldValue.AsSpan().ContainsAny(_containsAny);
        if (_anyPattern?.Value is { } anyPattern) return anyPattern.IsMatch(fieldValue);
        var count = ListedCount;
        for (var i = 0; i < count; i++)
            if (MatchesValue(i, fieldValue)) return true;
        return false;
    }

    /// <summary>
    /// Builds the lookups that make a long list of values one probe instead of one comparison each. Called once,
    /// when the rule is compiled; matching is the same as comparing each listed value in turn.
    /// </summary>
    internal FieldMatcher Compile()
    {
        _anyNull = Values.Any(v => v is null);
        _allNull = Values.All(v => v is null);
        if (CatalogPaths is not null)
        {
            _pathsByHost = Values.Select((host, i) => (Host: host!, Path: CatalogPaths[i]))
                .GroupBy(e => e.Host, CaseSensitive ? StringComparer.Ordinal : StringComparer.OrdinalIgnoreCase)
                .ToFrozenDictionary(g => g.Key, g => g.Select(e => e.Path).ToArray(),
                    CaseSensitive ? StringComparer.Ordinal : StringComparer.OrdinalIgnoreCase);
            return this;
        }
        if (All || _anyNull || Values.Count < 2) return this;
        var comparer = CaseSensitive ? StringComparer.Ordinal : StringComparer.OrdinalIgnoreCase;
        if (Operator == MatchOperator.Equals) _equalsSet = Values.Select(v => v!).ToFrozenSet(comparer);
        else if (Operator == MatchOperator.Contains && Values.All(v => v!.Length > 0))
            _containsAny = SearchValues.Create([.. Values.Select(v => v!)], Comparison);
        else if (Operator == MatchOperator.Regex && Patterns.Count > 1)
            _anyPattern = new Lazy<Regex?>(() => AnyOf(Patterns), LazyThreadSafetyMode.ExecutionAndPublication);
        return this;
    }

    /// <summary>
    /// One non-backtracking regex for "any of these patterns": a single pass over the value instead of one per pattern
    /// (tool descriptions are long and tested against several). Each pattern keeps its own group, so an inline option
    /// such as <c>(?i)</c> stays inside it. Null, and each pattern is run in turn, when one of them needs the
    /// backtracking engine (the joined pattern then cannot be built either) or could read differently joined (a
    /// <c>#</c> comment under <c>(?x)</c> runs to the line's end). Built on first use, like each pattern.
    /// </summary>
    internal static Regex? AnyOf(IReadOnlyList<RulePattern> patterns)
    {
        if (patterns.Count < 2) return null;
        foreach (var p in patterns)
            if (p.Pattern.Contains('#')) return null;
        try
        {
            return new Regex(string.Join('|', patterns.Select(p => "(?:" + p.Pattern + ")")),
                RegexOptions.NonBacktracking | RegexOptions.CultureInvariant);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException)
        {
            return null;
        }
    }

    /// <summary>Builds the regexes <see cref="Matches"/> can run: the joined one, or each pattern when it runs them in turn.</summary>
    internal void Prepare()
    {
        if (Operator != MatchOperator.Regex) return;
        if (!All && _anyPattern?.Value is not null) return;
        foreach (var pattern in Patterns) _ = pattern.Regex;
    }

    private bool _anyNull;
    private bool _allNull;
    private FrozenSet<string>? _equalsSet;
    private SearchValues<string>? _containsAny;
    private Lazy<Regex?>? _anyPattern;

    private bool MatchesValue(int index, string fieldValue)
    {
        switch (Operator)
        {
            case MatchOperator.Equals: return Values[index] is { } v && string.Equals(fieldValue, v, Comparison);
            case MatchOperator.Contains: return Values[index] is { } c && fieldValue.Contains(c, Comparison);
            case MatchOperator.StartsWith: return Values[index] is { } p && fieldValue.StartsWith(p, Comparison);
            case MatchOperator.EndsWith: return Values[index] is { } e && fieldValue.EndsWith(e, Comparison);
            case MatchOperator.Regex:
                return Patterns[index].IsMatch(fieldValue);
            case MatchOperator.Cidr:
                return IPAddress.TryParse(fieldValue, out var address) && Networks[index].Contains(Normalize(address));
            default: return false;
        }
    }

    private bool MatchesSharedPath(Observation observation)
    {
        string? host = null, path = null;
        var fields = observation.Fields;
        for (var i = 0; i < fields.Count; i++)
        {
            var key = fields.KeyAt(i);
            if (host is null && string.Equals(key, Field, StringComparison.Ordinal)) host = fields.ValueAt(i);
            else if (path is null && string.Equals(key, PathField, StringComparison.Ordinal)) path = fields.ValueAt(i);
        }
        if (host is null || path is null) return false;
        if (!_pathsByHost!.TryGetValue(host, out var roots)) return false;
        foreach (var root in roots)
            if (IsUnder(path, root)) return true;
        return false;
    }

    // For shared-path: each listed host's MCP paths, one lookup per request instead of a comparison per catalog entry.
    private FrozenDictionary<string, string[]>? _pathsByHost;

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
