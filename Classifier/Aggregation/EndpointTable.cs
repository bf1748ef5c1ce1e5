using System.Diagnostics.CodeAnalysis;
using ShadowMcp.Core.Findings;

namespace ShadowMcp.Classifier.Aggregation;

/// <summary>
/// The endpoints the aggregator tracks, bounded so that a flood of MCP-looking endpoints can neither hide a later
/// one nor cost a scan of the table per observation. Past <c>maxPathsPerServer</c> paths on one server address:port,
/// further paths are filed under that server's <see cref="FoldedPath"/> endpoint with their evidence (or, for hits a
/// sanctioned entry matches on their own, a <see cref="SanctionedFoldedPath"/> endpoint, chosen by the aggregator). Past
/// <c>capacity</c> endpoints, an eighth of the table is given up in one pass, lowest <see cref="EvictionRank"/>
/// first, so a new endpoint always gets in and passes come once per capacity/8 new endpoints at most.
/// </summary>
internal sealed class EndpointTable(int capacity, int maxPathsPerServer)
{
    /// <summary>The path of the endpoint that holds a server's paths past its limit; a real "/*" path joins it.</summary>
    public const string FoldedPath = "/*";

    private readonly Dictionary<string, EndpointState> _states = new(StringComparer.Ordinal);
    // By server address:port: its path endpoints, counted only while it has any.
    private readonly Dictionary<string, int> _pathsPerServer = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _perGroup = new(StringComparer.Ordinal);
    private readonly int _batch = Math.Max(1, capacity / 8);
    // Whether any server ever reached its path limit: until then no observation pays for a server key.
    private bool _anyFolded;

    public int Count => _states.Count;
    public Dictionary<string, EndpointState>.ValueCollection Values => _states.Values;

    /// <summary>Hits filed under a server's <see cref="FoldedPath"/> endpoint because it had its fill of paths.</summary>
    public long FoldedHits { get; private set; }
    /// <summary>Endpoints with finding evidence given up to make room: each is a finding lost.</summary>
    public long EvidenceEvicted { get; private set; }
    /// <summary>Endpoints with only context evidence given up to make room.</summary>
    public long ContextEvicted { get; private set; }
    /// <summary>Passes that ranked the whole table to make room, and the endpoints they ranked.</summary>
    public long RoomPasses { get; private set; }
    public long StatesRanked { get; private set; }

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out EndpointState state) => _states.TryGetValue(key, out state);

    /// <summary>
    /// Whether a hit on the untracked path endpoint <paramref name="parts"/> must be folded: its server has its fill
    /// of paths. Then it goes to <see cref="Fold"/>, otherwise to <see cref="Create"/>.
    /// </summary>
    public bool MustFold(in EndpointParts parts) =>
        IsPath(parts.Address, parts.Path)
        && _pathsPerServer.GetValueOrDefault(Endpoint.KeyOf(parts.Address, parts.Port, null, null)) >= maxPathsPerServer;

    /// <summary>A new state for the endpoint <paramref name="key"/> (not in the table); makes room when the table is full.</summary>
    public EndpointState Create(string key, in EndpointParts parts) => Add(key, parts);

    /// <summary>
    /// The state of the server's folded endpoint with the path <paramref name="foldedPath"/> (<see cref="FoldedPath"/>
    /// or a <see cref="SanctionedFoldedPath"/>), which a hit on a path past the server's limit goes to.
    /// </summary>
    public EndpointState Fold(in EndpointParts parts, string foldedPath)
    {
        _anyFolded = true;
        FoldedHits++;
        var folded = Endpoint.KeyOf(parts.Address, parts.Port, null, foldedPath);
        return _states.TryGetValue(folded, out var state) ? state : Add(folded, parts with { Path = foldedPath });
    }

    /// <summary>
    /// Whether an HTTP observation on the untracked path <paramref name="parts"/> belongs to its server's folded
    /// endpoints; only then is it worth choosing which (with <see cref="Folded"/>).
    /// </summary>
    public bool MayBeFolded(in EndpointParts parts) => _anyFolded && MustFold(parts);

    /// <summary>The server's folded endpoint with the path <paramref name="foldedPath"/>, if it has one.</summary>
    public EndpointState? Folded(in EndpointParts parts, string foldedPath) =>
        _states.GetValueOrDefault(Endpoint.KeyOf(parts.Address, parts.Port, null, foldedPath));

    /// <summary>
    /// The folded path for hits that a sanctioned entry with <paramref name="pathPrefix"/> matches on their own: kept
    /// apart from <see cref="FoldedPath"/> so that folding neither makes sanctioned traffic a shadow finding nor lets it
    /// cover a shadow path on the same server. It starts with the prefix (so the entry still matches it) and holds a
    /// '?', which no path filed here has (queries are cut off), so it can be neither a real path nor another fold.
    /// </summary>
    public static string SanctionedFoldedPath(string? pathPrefix) => (pathPrefix ?? "/") + SanctionedFoldSuffix;

    private const string SanctionedFoldSuffix = "*?sanctioned";

    public bool Remove(string key, [MaybeNullWhen(false)] out EndpointState state)
    {
        if (!_states.Remove(key, out state)) return false;
        Forget(state);
        return true;
    }

    private EndpointState Add(string key, in EndpointParts parts)
    {
        if (_states.Count >= capacity) MakeRoom();
        var state = new EndpointState(parts.ToEndpoint());
        _states[key] = state;
        Bump(_perGroup, state.Group, +1);
        if (IsPath(parts.Address, parts.Path)) Bump(_pathsPerServer, Endpoint.KeyOf(parts.Address, parts.Port, null, null), +1);
        return state;
    }

    private void Forget(EndpointState state)
    {
        Bump(_perGroup, state.Group, -1);
        var endpoint = state.Endpoint;
        if (IsPath(endpoint.Address, endpoint.Path)) Bump(_pathsPerServer, Endpoint.KeyOf(endpoint.Address, endpoint.Port, null, null), -1);
    }

    // A count per key, present only while above zero.
    private static void Bump(Dictionary<string, int> counts, string key, int delta)
    {
        var count = counts.GetValueOrDefault(key) + delta;
        if (count > 0) counts[key] = count;
        else counts.Remove(key);
    }

    // Ranks every endpoint once and gives up the lowest batch: one pass per capacity/8 new endpoints at most.
    private void MakeRoom()
    {
        RoomPasses++;
        StatesRanked += _states.Count;
        var ranks = new EvictionRank[_states.Count];
        var i = 0;
        foreach (var state in _states.Values) ranks[i++] = EvictionRank.Of(state, _perGroup[state.Group]);
        Array.Sort(ranks);
        var count = Math.Min(_batch, ranks.Length);
        for (var v = 0; v < count; v++)
        {
            if (ranks[v].Evidence) EvidenceEvicted++;
            else ContextEvicted++;
            Remove(ranks[v].Key, out _);
        }
    }

    // A path endpoint of its own; the folded ones hold other paths and do not count against their server's limit.
    private static bool IsPath(string? address, string? path) =>
        address is not null && path is not null && !string.Equals(path, FoldedPath, StringComparison.Ordinal)
        && !path.EndsWith(SanctionedFoldSuffix, StringComparison.Ordinal);
}
