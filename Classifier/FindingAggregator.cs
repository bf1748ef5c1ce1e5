using ShadowMcp.Core.Collections;
using ShadowMcp.Classifier.Aggregation;
using ShadowMcp.Classifier.Rules;
using ShadowMcp.Core.Findings;
using ShadowMcp.Core.Observations;

namespace ShadowMcp.Classifier;

/// <summary>
/// Turns a stream of observations into findings, one per endpoint. Feed it with <see cref="Add"/> in capture
/// order (one file after another is fine) and take a <see cref="Snapshot"/> whenever results are wanted; the
/// snapshot is a fresh copy that later observations do not change. Not thread-safe: one scan, one aggregator.
/// </summary>
public sealed class FindingAggregator
{
    private readonly RuleSet _rules;
    private readonly ClassifierOptions _options;
    private readonly EndpointTable _states;
    // Legacy SSE: "addr:port/messages" -> key of the endpoint of the stream that announced it. One per message path a
    // server announced, which a server may make unique per session: the most recent ones (in use or announced) stay.
    private readonly RecentTable<string, string> _aliases;
    private readonly HostDirectory _hosts;
    private readonly List<EndpointState> _touched = new(4);
    // Scratch for one hit's records, reused observation after observation.
    private readonly List<KeyValuePair<string, string>> _records = new(8);
    private readonly EndpointKeyCache _keys = new();
    // The folded path of each sanctioned entry, by index (made once, not per folded hit), and scratch for the names a
    // folded hit carries.
    private readonly string[] _sanctionedFoldedPaths;
    private readonly HashSet<string> _foldNameSet = new(StringComparer.Ordinal);
    private readonly List<string> _foldNames = new(4);
    private readonly List<string> _foldVouched = new(4);
    private readonly HashSet<string> _flowNames = new(StringComparer.Ordinal);

    public FindingAggregator(RuleSet rules, ClassifierOptions? options = null)
    {
        _rules = rules;
        _options = options ?? new ClassifierOptions();
        _states = new EndpointTable(_options.MaxTrackedEndpoints, _options.MaxPathsPerServer);
        _aliases = new RecentTable<string, string>(_options.MaxTrackedEndpoints, StringComparer.Ordinal);
        _hosts = new HostDirectory(_options.MaxKnownAddresses, _options.MaxNamesPerAddress, _options.DnsTieWindow,
            _options.MaxRecentTlsFlows, IsSanctionedName, _options.TrustedResolvers);
        _sanctionedFoldedPaths = [.. _options.Sanctioned.Select(e => EndpointTable.SanctionedFoldedPath(e.PathPrefix))];
    }

    /// <summary>
    /// The names the endpoint's flows carried themselves (Host headers, SNI; without a port) that no sanctioned entry
    /// gives and no DNS answer chained to a sanctioned name (a CNAME alias of it). Empty without sanctioned entries.
    /// </summary>
    private List<string> ForeignNames(EndpointState state)
    {
        var foreign = new List<string>();
        if (_options.Sanctioned.Count == 0) return foreign;
        foreach (var names in (IEnumerable<string>[])[state.HostNames.Names, state.SniNames])
        {
            foreach (var raw in names)
            {
                var name = WithoutPort(raw).TrimEnd('.');
                if (name.Length == 0 || System.Net.IPAddress.TryParse(name, out _) || IsSanctionedName(name)
                    || _hosts.AliasesSanctioned(name) || foreign.Contains(name)) continue;
                foreign.Add(name);
            }
        }
        return foreign;
    }

    private static string WithoutPort(string host)
    {
        var colon = host.LastIndexOf(':');
        return colon > 0 && host.IndexOf(':') == colon && int.TryParse(host.AsSpan(colon + 1), out _) ? host[..colon] : host;
    }

    // Asked per DNS answer: a loop, no enumerator or closure per call.
    private bool IsSanctionedName(string name)
    {
        var sanctioned = _options.Sanctioned;
        for (var i = 0; i < sanctioned.Count; i++)
            if (sanctioned[i].MatchesName(name)) return true;
        return false;
    }

    public long Observations { get; private set; }
    public long Hits { get; private set; }

    /// <summary>Hits filed under a server's <c>/*</c> endpoint because that server already had its fill of paths.</summary>
    public long FoldedHits => _states.FoldedHits;
    /// <summary>Endpoints with finding evidence given up to stay within <see cref="ClassifierOptions.MaxTrackedEndpoints"/>.</summary>
    public long EndpointsEvicted => _states.EvidenceEvicted;
    /// <summary>Endpoints with only context evidence given up to stay within the limit.</summary>
    public long ContextEndpointsEvicted => _states.ContextEvicted;
    /// <summary>Passes over the whole table to make room (each frees an eighth of it), and the endpoints they ranked.</summary>
    public long RoomPasses => _states.RoomPasses;
    public long StatesRanked => _states.StatesRanked;
    /// <summary>
    /// Clients an endpoint stopped listing because it had its fill (512) and a new client came: the least seen one
    /// gives way, so a flood of decoy clients cannot keep the real user out of a finding's clients.
    /// </summary>
    public long ClientsDisplaced { get; private set; }
    /// <summary>Names an endpoint stopped listing (Host headers: 512, names tied to its flows: 64) for a new one, the least seen first.</summary>
    public long NamesDisplaced { get; private set; }
    /// <summary>Server addresses whose DNS names were given up for newer ones (<see cref="ClassifierOptions.MaxKnownAddresses"/>).</summary>
    public long AddressesForgotten => _hosts.AddressesForgotten;

    /// <summary>
    /// What the endpoint limits cost so far, for the operator's log (a flood, or a network too big for the limits);
    /// null while nothing was folded or given up.
    /// </summary>
    public string? LimitSummary() => FoldedHits == 0 && EndpointsEvicted == 0 && ContextEndpointsEvicted == 0
        ? null
        : $"endpoint limits reached: {FoldedHits} hits filed under a server's /* endpoint (over {_options.MaxPathsPerServer} paths), "
          + $"{EndpointsEvicted} endpoints with finding evidence and {ContextEndpointsEvicted} with context only given up "
          + $"(over {_options.MaxTrackedEndpoints} endpoints)";

    /// <summary>
    /// Sets the scan's counters of what the limits cost (<paramref name="stats"/> covers this aggregator's scan or
    /// sensor run; the counts so far replace earlier ones, since they only grow).
    /// </summary>
    public void CopyLimitsTo(ScanStats stats)
    {
        ArgumentNullException.ThrowIfNull(stats);
        stats.EndpointHitsFolded = FoldedHits;
        stats.EndpointsEvicted = EndpointsEvicted;
        stats.ContextEndpointsEvicted = ContextEndpointsEvicted;
        stats.AddressNamesForgotten = AddressesForgotten;
        stats.UntrustedResolverAnswers = _hosts.UntrustedAnswersIgnored;
        stats.ClientsDisplaced = ClientsDisplaced;
        stats.NamesDisplaced = NamesDisplaced;
    }

    public void AddRange(IEnumerable<Observation> observations)
    {
        foreach (var observation in observations) Add(observation);
    }

    /// <summary>
    /// Matches and adds one observation. The one-thread path: no hit objects, no record lists and no endpoint keys
    /// are made for it (scratch lists are reused), so an observation filed under a known endpoint costs no garbage.
    /// </summary>
    public void Add(Observation observation) => Add(observation, _rules.MatchRules(observation));

    /// <summary>
    /// The rules one observation hits: the pure half of <see cref="Add(Observation, MatchedRules)"/>, safe to call from
    /// several threads at once (a sharded scan matches on its workers and adds in capture order). One shared object
    /// per combination of rules, so matching allocates nothing per observation.
    /// </summary>
    public MatchedRules MatchRules(Observation observation) => _rules.MatchRules(observation);

    /// <summary>
    /// The order-dependent half: adds <paramref name="observation"/> with the rules <see cref="MatchRules"/> found
    /// for it (their records are read from the observation here). Call in capture order, on one thread.
    /// </summary>
    public void Add(Observation observation, MatchedRules matched)
    {
        ArgumentNullException.ThrowIfNull(matched);
        Begin(observation);
        var rules = matched.Rules;
        for (var i = 0; i < rules.Length; i++)
        {
            _records.Clear();
            RuleSet.CollectRecords(rules[i], observation, _records);
            File(rules[i], observation, _records);
        }
        End(observation);
    }

    private void Begin(Observation observation)
    {
        Observations++;
        _hosts.Learn(observation);
        _touched.Clear();
    }

    /// <summary>Files one rule's hit (with the values its records captured) under the endpoint the rule names.</summary>
    private void File(Rule rule, Observation observation, IReadOnlyList<KeyValuePair<string, string>> records)
    {
        Hits++;
        if (EndpointResolver.ForHit(rule.Evidence.Endpoint, observation) is not { } endpoint) return;
        var state = GetOrCreate(endpoint, observation, records);
        state.AddHit(rule, observation, records);
        if (!EndpointResolver.IsHttpKind(observation.Kind) || state.Endpoint.Address is null || state.Endpoint.Path is null)
            state.ObserveTraits(observation);
        for (var r = 0; r < records.Count; r++)
            if (records[r].Key == RecordNames.MessageEndpoint) AddAlias(state, records[r].Value);
        Remember(state);
    }

    private void End(Observation observation)
    {
        if (EndpointResolver.IsHttpKind(observation.Kind) && FindHttp(observation) is { } httpState)
        {
            httpState.ObserveTraits(observation);
            Remember(httpState);
        }
        foreach (var state in _touched)
        {
            state.Touch(observation);
            ClientsDisplaced += state.TakeClientsDisplaced();
            if (state.Endpoint.Address is not null)
            {
                _flowNames.Clear();
                var dnsName = _hosts.NamesOfFlow(observation, _flowNames, out var sni);
                foreach (var name in _flowNames) state.AddTiedName(name);
                // Only a sanctioned entry's judgement reads them (ForeignNames): no table per endpoint otherwise.
                if (sni is not null && _options.Sanctioned.Count > 0) state.AddSniName(sni);
                if (dnsName is not null) state.AddDnsTiedName(dnsName);
            }
            NamesDisplaced += state.TakeNamesDisplaced();
        }
    }

    /// <summary>The findings so far, ordered by endpoint key. Endpoints with only context evidence are left out.</summary>
    public IReadOnlyList<Finding> Snapshot()
    {
        var findings = new List<Finding>();
        foreach (var state in _states.Values)
        {
            if (!state.HasFindingEvidence) continue;
            findings.Add(Build(state));
        }
        findings.Sort((a, b) => string.CompareOrdinal(a.Endpoint.Key, b.Endpoint.Key));
        return findings;
    }

    public IReadOnlyList<Finding> Findings => Snapshot();

    private Finding Build(EndpointState state)
    {
        var tallies = state.Tallies.Values.ToList();
        var address = state.Endpoint.Address;
        // Server-level context (OAuth metadata fetches, path-less requests) supports every path on that server.
        if (address is not null && state.Endpoint.Path is not null
            && _states.TryGetValue(new Endpoint(address, state.Endpoint.Port, null, null).Key, out var serverState)
            && !serverState.HasFindingEvidence)
        {
            foreach (var tally in serverState.Tallies.Values)
                if (!state.Tallies.ContainsKey(tally.Rule.Id)) tallies.Add(tally);
        }

        // Names its flows used (Host, SNI, a DNS answer tied to the flow) are the finding's; other names that
        // merely resolved to the address are context only.
        var hosts = new SortedSet<string>(state.HostNames.Names, StringComparer.Ordinal);
        hosts.UnionWith(state.TiedNames.Names);
        if (state.Endpoint.Host is not null) hosts.Add(state.Endpoint.Host);
        var addressNames = new SortedSet<string>(StringComparer.Ordinal);
        if (address is not null)
            foreach (var n in _hosts.DnsNamesFor(address))
                if (!hosts.Contains(n)) addressNames.Add(n);

        // Of those, the ones a DNS answer tied to the address may sanction it by name; a Host header or SNI alone
        // is the client's word. A host endpoint is the name itself.
        IReadOnlyCollection<string> vouched = address is null
            ? hosts
            : hosts.Where(n => (state.DnsTiedNames.Names.Contains(n) && !_hosts.Contested(address, n)) || _hosts.Vouches(address, n)).ToHashSet(StringComparer.Ordinal);

        var endpoint = address is null
            ? state.Endpoint
            : state.Endpoint with { Host = state.FirstHostHeader ?? state.TiedNames.Min() };
        IReadOnlyCollection<string> foreign = address is null ? [] : ForeignNames(state);
        var (verdict, reason) = VerdictPolicy.Decide(tallies, endpoint, hosts, vouched, _options.Sanctioned, _hosts.Resolved, foreign,
            out var claimed, out var shared);
        if (claimed.Count > 0)
        {
            // A sanctioned name only claimed is not this server's name: the Enforcer blocks a finding's names, and the
            // reason already tells the analyst which name was sent. At a shared front end the address does serve the
            // sanctioned name: it stays among the address's names, so the Enforcer sees the address is the sanctioned one's.
            hosts.ExceptWith(claimed);
            if (shared) addressNames.UnionWith(claimed);
            if (endpoint.Host is { } shown && claimed.Contains(shown)) endpoint = endpoint with { Host = hosts.Min };
        }

        var finding = new Finding
        {
            Endpoint = endpoint,
            Transport = state.Transport(),
            Server = state.Server,
            Verdict = verdict,
            VerdictReason = reason,
            Confidence = VerdictPolicy.Confidence(tallies),
            Flows = state.Flows.Count,
            FirstSeen = state.FirstSeen,
            LastSeen = state.LastSeen,
        };
        finding.Hosts.UnionWith(hosts);
        finding.AddressNames.UnionWith(addressNames);
        // Claims no DNS answer contradicts: the centre needs them to hold a remote sensor's finding as this one did.
        if (!shared && claimed.Count > 0 && !claimed.Any(_hosts.Resolved)) finding.ClaimedNames.UnionWith(claimed);
        finding.ProtocolVersions.UnionWith(state.ProtocolVersions);
        finding.Clients.UnionWith(state.Clients.Names);
        finding.ClientApps.UnionWith(state.ClientApps);
        finding.Tools.UnionWith(state.Tools);
        foreach (var tally in tallies
                     .OrderByDescending(t => t.Rule.Evidence.Strength)
                     .ThenBy(t => t.Rule.Id, StringComparer.Ordinal))
        {
            finding.Evidence.Add(new Evidence
            {
                Rule = tally.Rule.Id,
                Title = tally.Rule.Title,
                Level = tally.Rule.Level,
                Detail = tally.Detail,
                Weight = tally.Rule.Evidence.Weight,
                Strength = tally.Rule.Evidence.Strength.ToString().ToLowerInvariant(),
                Count = tally.Count,
                FirstSeen = tally.FirstSeen,
                LastSeen = tally.LastSeen,
                Example = tally.Example,
            });
        }
        return finding;
    }

    private EndpointState GetOrCreate(in EndpointParts endpoint, Observation observation, IReadOnlyList<KeyValuePair<string, string>> records)
    {
        var own = _keys.KeyOf(endpoint);
        var key = ResolveKey(own);
        if (_states.TryGetValue(key, out var state)) return state;
        // Filed under an alias whose stream's state is gone (given up to make room): not recreated under the
        // stream's key, whose endpoint it is not, but kept under its own.
        if (key != own && _states.TryGetValue(own, out state)) return state;
        return _states.MustFold(endpoint)
            ? _states.Fold(endpoint, FoldedPathOf(endpoint, observation, records))
            : _states.Create(own, endpoint);
    }

    /// <summary>
    /// Which of its server's folded endpoints a hit on a path past the server's limit goes to: that of the first
    /// sanctioned entry the hit matches on its own (its path, the Host it was sent to, its records' hosts and its
    /// flow's names, of which a name-only entry takes only those a DNS answer tied to the address, as in Build), else
    /// <see cref="EndpointTable.FoldedPath"/>. So a sanctioned server with many paths stays
    /// sanctioned, and a shadow path on the same address:port is not judged with the sanctioned names.
    /// </summary>
    private string FoldedPathOf(in EndpointParts endpoint, Observation observation, IReadOnlyList<KeyValuePair<string, string>>? records)
    {
        var sanctioned = _options.Sanctioned;
        if (sanctioned.Count == 0) return EndpointTable.FoldedPath;
        var names = _foldNames;
        var vouched = _foldVouched;
        names.Clear();
        vouched.Clear();
        _foldNameSet.Clear();
        // The names Build gives the endpoint for this hit: the Host sent to (if a name), hosts its records captured
        // and its flow's SNI or tied DNS answer.
        if (EndpointResolver.HostName(observation) is { } host && !EndpointState.MayBeAddress(host)) _foldNameSet.Add(host);
        if (records is not null)
            for (var r = 0; r < records.Count; r++)
                if (records[r].Key == RecordNames.Host) _foldNameSet.Add(records[r].Value.ToLowerInvariant());
        var dnsName = _hosts.NamesOfFlow(observation, _foldNameSet, out _);
        foreach (var name in _foldNameSet)
        {
            names.Add(name);
            // As in Build: a name entry takes only names a DNS answer tied to the address.
            if (name == dnsName || (endpoint.Address is { } address && _hosts.Vouches(address, name))) vouched.Add(name);
        }
        for (var i = 0; i < sanctioned.Count; i++)
            if (sanctioned[i].Matches(endpoint.Address, endpoint.Port, endpoint.Path, sanctioned[i].VouchesForAddress ? names : vouched))
                return _sanctionedFoldedPaths[i];
        return EndpointTable.FoldedPath;
    }

    // The state an HTTP-family observation's path belongs to, if tracked: its own, its stream's, or its server's folded one.
    private EndpointState? FindHttp(Observation observation)
    {
        var parts = EndpointResolver.HttpParts(observation);
        var own = _keys.KeyOf(parts);
        var key = ResolveKey(own);
        if (_states.TryGetValue(key, out var state)) return state;
        if (key != own && _states.TryGetValue(own, out state)) return state;
        return _states.MayBeFolded(parts) ? _states.Folded(parts, FoldedPathOf(parts, observation, null)) : null;
    }

    private string ResolveKey(string key) => _aliases.TryGetValue(key, out var target) ? target : key;

    private void AddAlias(EndpointState stream, string url)
    {
        if (stream.Endpoint.Address is null) return;
        if (EndpointResolver.MessagePath(url, stream.Endpoint.Path) is not var (path, port)) return;
        var alias = new Endpoint(stream.Endpoint.Address, port ?? stream.Endpoint.Port, null, path).Key;
        if (alias == stream.Key) return;
        _aliases.Set(alias, stream.Key);
        if (_states.Remove(alias, out var earlier)) stream.MergeFrom(earlier);
    }

    private void Remember(EndpointState state)
    {
        if (!_touched.Contains(state)) _touched.Add(state);
    }
}
