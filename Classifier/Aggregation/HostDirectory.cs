using ShadowMcp.Core.Collections;
using System.Net;
using ShadowMcp.Core.Observations;

namespace ShadowMcp.Classifier.Aggregation;

/// <summary>
/// Names seen on the wire, kept with what ties them to a flow: the SNI of each TLS flow, and per client the
/// latest DNS answer that mapped a name to each server address (with its time). Also every name that resolved
/// to an address, which only says the name points there, not that a flow used it. Bounded: the SNIs and DNS
/// answers keep the most recently learned or used (a long run or a flood of connections pushes out the oldest,
/// it does not stop new flows being named), and so do the names of addresses, by the answers alone: an address no
/// DNS answer named lately gives way to a new one, however busy its flows (reading them for a finding is not a use,
/// so results never depend on when they were read), and a flood of DNS answers cannot leave a later server unnamed.
/// </summary>
/// <param name="sanctionedName">Whether a sanctioned entry names this host: only such names are also kept by name (null: none are).</param>
/// <param name="trustedResolvers">
/// The resolvers whose answers count for sanctioned names (empty: all). An answer from another server is ignored for
/// a sanctioned name, as if it had not been seen: it neither vouches nor names the address with it.
/// </param>
internal sealed class HostDirectory(int maxAddresses, int maxNamesPerAddress, TimeSpan dnsTieWindow, int maxTlsFlows,
    Func<string, bool>? sanctionedName = null, IReadOnlyList<IPNetwork>? trustedResolvers = null)
{
    private readonly RecentTable<string, List<string>> _names = new(maxAddresses, StringComparer.OrdinalIgnoreCase);
    // The same answers by name, for the names sanctioned entries give only: whether one was resolved at all, and to
    // which addresses (the latest few). Keyed by the name so that answers for other names of one address (a shared
    // front end, or a flood of them) cannot push a sanctioned name's own answer out of what vouches for it; kept for
    // sanctioned names alone, so a flood of other names costs no memory here.
    private readonly RecentTable<string, List<string>> _addressesOfName = new(maxAddresses, StringComparer.OrdinalIgnoreCase);
    private readonly RecentTable<(string Client, string Address), (string Name, DateTime At)> _answers = new(maxAddresses);
    // Names a trusted answer showed a sanctioned name pointing to (its CNAME chain): the same server under another name.
    private readonly RecentTable<string, bool> _sanctionedAliases = new(maxAddresses, StringComparer.OrdinalIgnoreCase);
    // By flow (5-tuple equality): looked up for every observation filed under an address, so no key string per flow.
    // Needed only while the flow's own observations arrive (decrypted HTTP, the ServerHello), which keep it recent;
    // tls.shape, which can come long after, carries its SNI itself.
    private readonly RecentTable<FlowRef, string> _sni = new(maxTlsFlows);
    // Resolver addresses are compared as IPv4 when IPv4-mapped, so networks written that way are too.
    private readonly IPNetwork[] _trusted = [.. (trustedResolvers ?? []).Select(AsIPv4IfMapped)];
    // DNS queries seen (flow: addresses, ports and transport; message id; name), each with the first answer to it once
    // one came, whatever name it gives: a forger's second answer to a query for another name can add a record for a
    // sanctioned one. Only kept when sanctioned entries name hosts. A retry over TCP after a truncated answer is another
    // flow, so its fuller answer is not a second answer.
    private readonly RecentTable<(FlowRef Flow, string Id, string Name, string? Type), FirstAnswer?> _queries = new(maxAddresses);
    // Whether this capture has shown any DNS query: from then on it sees the querying direction, and an answer for a
    // sanctioned name must pair with a query whoever it is sent to. Not per client or resolver: what an answer vouches
    // holds for every client, so a forger would send its answer to a host whose queries were not seen, or in the name
    // of a resolver address nobody queries (and a flood of queriers could push a pair out of a bounded table).
    private bool _queriesSeen;
    // Names a contested answer put at an address (taken back): a flow the client made on that answer before the other
    // one came keeps the name it was tied to in its endpoint's state, and that tie must not vouch. A later trusted
    // answer that puts the name there again clears it.
    private readonly RecentTable<(string Address, string Name), bool> _contested = new(maxAddresses);
    private readonly List<string> _answerScratch = [];
    private readonly List<string> _ownerScratch = [];
    private readonly List<string> _chainScratch = [];

    public void Learn(Observation observation)
    {
        switch (observation.Kind)
        {
            case ObservationKinds.Dns:
                LearnDns(observation);
                break;
            case ObservationKinds.TlsClientHello:
                if (observation.Fields.Get("sni") is { Length: > 0 } sni) _sni.Set(observation.Flow, sni.ToLowerInvariant());
                break;
        }
    }

    /// <summary>
    /// The names that tie <paramref name="observation"/>'s flow to a name: its SNI, and the DNS answer its client
    /// got for the server address within the tie window before it (only the latest such answer). Returns that DNS
    /// answer's name, or null: unlike the SNI, which the client chooses, it vouches that the name lives at the address.
    /// </summary>
    public string? NamesOfFlow(Observation observation, ISet<string> into, out string? sni)
    {
        var flow = observation.Flow;
        sni = CarriedSni(observation);
        if (sni is null && _sni.TryGetValue(flow, out var known)) sni = known;
        if (sni is not null) into.Add(sni);
        if (_answers.TryGetValue((flow.Client, flow.Server), out var answer)
            && answer.At <= observation.Time && observation.Time - answer.At <= dnsTieWindow)
        {
            into.Add(answer.Name);
            return answer.Name;
        }
        return null;
    }

    /// <summary>
    /// Whether a DNS answer seen so far mapped <paramref name="name"/> (the name asked, or an owner along its CNAME
    /// chain) to <paramref name="address"/>: the only thing on the wire that ties a name to a server; a Host header or
    /// SNI is whatever the client chose to send. Reading does not keep the address's names.
    /// </summary>
    public bool Vouches(string address, string name)
    {
        if (_addressesOfName.TryPeek(name, out var addresses) && Contains(addresses, address)) return true;
        return _names.TryPeek(address, out var names) && Contains(names, name);
    }

    /// <summary>
    /// Whether a trusted DNS answer showed a sanctioned name pointing to <paramref name="name"/> (down its CNAME chain);
    /// a name that points to a sanctioned one is not: its own owner chose that. Reading keeps nothing.
    /// </summary>
    public bool AliasesSanctioned(string name) => _sanctionedAliases.TryPeek(name, out _);

    /// <summary>
    /// Whether <paramref name="name"/> at <paramref name="address"/> came from an answer that another answer to the same
    /// query contradicted: a flow tied to it then vouches for nothing. Reading keeps nothing.
    /// </summary>
    public bool Contested(string address, string name) => _contested.TryPeek((address, name.ToLowerInvariant()), out _);

    /// <summary>Whether a DNS answer seen so far resolved <paramref name="name"/>, a name a sanctioned entry gives, to any address. Reading keeps nothing.</summary>
    public bool Resolved(string name) => _addressesOfName.TryPeek(name, out _);

    private static bool Contains(List<string> values, string value)
    {
        for (var i = 0; i < values.Count; i++)
            if (string.Equals(values[i], value, StringComparison.OrdinalIgnoreCase)) return true;
        return false;
    }

    // The flow's SNI on the observation itself: a ClientHello, or a shape score made at a file's end.
    private static string? CarriedSni(Observation observation) =>
        observation.Kind is ObservationKinds.TlsShape or ObservationKinds.TlsClientHello
        && observation.Fields.Get("sni") is { Length: > 0 } sni
            ? sni.ToLowerInvariant()
            : null;

    /// <summary>Addresses whose names were given up for newer ones (a long run, or a flood of DNS answers).</summary>
    public long AddressesForgotten => _names.Dropped;

    /// <summary>Every DNS name that resolved to the address, tied to a flow or not. Reading does not keep it.</summary>
    public IReadOnlyList<string> DnsNamesFor(string address) =>
        _names.TryPeek(address, out var names) ? names : [];

    private void LearnDns(Observation observation)
    {
        var fields = observation.Fields;
        var response = fields.Get("response");
        if (response == "false") NoteQuery(observation);
        if (response != "true") return;
        var question = fields.Get("name");
        // Reused lists filled by one pass over the fields: an iterator and a list per answer field cost more than the rest.
        var answers = _answerScratch;
        var owners = _ownerScratch;
        answers.Clear();
        owners.Clear();
        foreach (var kv in fields.AsSpan())
        {
            if (string.Equals(kv.Key, "answer", StringComparison.Ordinal)) answers.Add(kv.Value);
            else if (string.Equals(kv.Key, "answer.name", StringComparison.Ordinal)) owners.Add(kv.Value);
        }
        var trusted = Trusted(observation.Flow.Server);
        if (trusted && sanctionedName is not null && !RepliesAlone(observation, question ?? "", answers, owners)
            && ConcernsSanctioned(question, owners)) trusted = false;
        if (trusted && sanctionedName is not null) LearnAliases(question, answers, owners);
        for (var i = 0; i < answers.Count; i++)
        {
            if (!IPAddress.TryParse(answers[i], out var address)) continue;
            var text = address.ToString();
            Add(text, question, trusted);
            if (i < owners.Count && !string.Equals(owners[i], question, StringComparison.OrdinalIgnoreCase)) Add(text, owners[i], trusted);
            // The answer goes to the querier, the DNS flow's client; the name asked is what it will use.
            if (!string.IsNullOrEmpty(question) && (trusted || !IsSanctioned(question)))
                _answers.Set((observation.Flow.Client, text), (question.ToLowerInvariant(), observation.Time));
        }
    }

    /// <summary>
    /// What a resolver first answered to one query (its records as owner/data pairs in order), to tell a second,
    /// different answer to it; contested once one came: from then on no answer to that query vouches.
    /// </summary>
    private sealed class FirstAnswer(string[] answers, string[] owners)
    {
        public string[] Answers { get; } = answers;
        public string[] Owners { get; } = owners;
        public bool Contested { get; set; }

        // The same records in any order: a resolver that rotates a set of addresses answers a retried query (same id,
        // same socket) with them in another order, and that is the same word.
        public bool SameRecords(List<string> answers, List<string> owners)
        {
            if (answers.Count != Answers.Length || owners.Count != Owners.Length) return false;
            return Sorted(Answers, Owners).SequenceEqual(Sorted([.. answers], [.. owners]));
        }

        private static IEnumerable<(string, string)> Sorted(string[] answers, string[] owners) =>
            answers.Select((a, i) => (i < owners.Length ? owners[i] : "", a)).Order();
    }

    private void NoteQuery(Observation observation)
    {
        if (sanctionedName is null) return;
        var fields = observation.Fields;
        if (fields.Get("id") is not { } id || fields.Get("name") is not { Length: > 0 } name) return;
        _queriesSeen = true;
        _queries.Set((observation.Flow, id, name, fields.Get("type")), null);
    }

    private bool ConcernsSanctioned(string? question, IEnumerable<string> owners)
    {
        if (sanctionedName is null) return false;
        if (!string.IsNullOrEmpty(question) && IsSanctioned(question)) return true;
        foreach (var owner in owners)
            if (IsSanctioned(owner)) return true;
        return false;
    }

    /// <summary>
    /// Whether an answer replies to a query seen and is the only reply to it (the same records again are a
    /// retransmission). A host that sends an answer in a trusted resolver's name (a spoofed source address) either
    /// sends it unasked, or races the resolver's own reply to a query it made: then one query has two different answers
    /// and neither can be told true, nor any later one to it. Every answer is paired, whatever name it gives, so a
    /// second answer that adds a record for a sanctioned name to a query for another name is told too. An answer for a
    /// sanctioned name that does not reply alone is ignored like an untrusted resolver's (and counted with them), and
    /// what a first answer for one taught is taken back. Until this capture has shown a query (one direction of a link)
    /// an answer cannot be paired and counts as before.
    /// </summary>
    private bool RepliesAlone(Observation observation, string question, List<string> answers, List<string> owners)
    {
        if (observation.Fields.Get("id") is not { } id || !_queriesSeen) return true;
        var flow = observation.Flow;
        // The question type too: a stub that asks for A and AAAA at once may give both queries one id.
        var key = (flow, id, question, observation.Fields.Get("type"));
        if (!_queries.TryGetValue(key, out var first)) return false;
        if (first is null)
        {
            _queries.Set(key, new FirstAnswer([.. answers], [.. owners]));
            return true;
        }
        if (first.Contested) return false;
        if (first.SameRecords(answers, owners)) return true;
        first.Contested = true;
        if (ConcernsSanctioned(question, first.Owners)) TakeBack(flow.Client, question, first);
        return false;
    }

    // Undoes what a first answer taught: its names for its addresses, a sanctioned name's addresses, the client's tie
    // to them and the aliases its chain made.
    private void TakeBack(string client, string question, FirstAnswer first)
    {
        foreach (var answer in first.Answers)
        {
            if (IPAddress.TryParse(answer, out var address))
            {
                var text = address.ToString();
                foreach (var name in first.Owners.Append(question))
                    if (!string.IsNullOrEmpty(name) && IsSanctioned(name)) _contested.Set((text, name.ToLowerInvariant()), true);
                if (_names.TryPeek(text, out var names))
                {
                    names.RemoveAll(n => string.Equals(n, question, StringComparison.OrdinalIgnoreCase)
                        || first.Owners.Contains(n, StringComparer.OrdinalIgnoreCase));
                }
                if (_answers.TryPeek((client, text), out var tie) && string.Equals(tie.Name, question, StringComparison.OrdinalIgnoreCase))
                    _answers.Remove((client, text));
            }
            else if (LooksLikeName(answer))
            {
                _sanctionedAliases.Remove(answer);
            }
        }
        // A sanctioned name the answer gave is as if not resolved (a claim of it is then held at suspected), whatever
        // other answers put it at: with only this answer's addresses taken out, the name would be "resolved elsewhere"
        // for them, and a real server that an earlier answer also gave would be judged shadow and blocked.
        foreach (var name in first.Owners.Append(question))
            if (IsSanctioned(name)) _addressesOfName.Remove(name);
        foreach (var owner in first.Owners)
            if (!IsSanctioned(owner)) _sanctionedAliases.Remove(owner);
        if (!IsSanctioned(question)) _sanctionedAliases.Remove(question);
    }

    // A sanctioned name and the names it points to (its CNAME chain, followed down from it) name one server: the
    // sanctioned name's owner chose them. Not any name that points to it: anyone can make their own name a CNAME for
    // the sanctioned one, and a shadow server behind the same front end would pass as the sanctioned server under it.
    private void LearnAliases(string? question, List<string> answers, List<string> owners)
    {
        var chain = _chainScratch;
        chain.Clear();
        if (!string.IsNullOrEmpty(question) && IsSanctioned(question)) chain.Add(question);
        for (var i = 0; i < owners.Count; i++)
            if (IsSanctioned(owners[i])) chain.Add(owners[i]);
        if (chain.Count == 0) return;
        // Each pass follows one more link from a name already on the chain; an answer holds at most 64 records.
        for (var grew = true; grew;)
        {
            grew = false;
            for (var i = 0; i < owners.Count && i < answers.Count; i++)
            {
                if (!Contains(chain, owners[i]) || Contains(chain, answers[i]) || !LooksLikeName(answers[i])) continue;
                chain.Add(answers[i]);
                grew = true;
            }
        }
        foreach (var name in chain)
            if (!IsSanctioned(name)) _sanctionedAliases.Set(name.ToLowerInvariant(), true);
        // A name pointing to it from the sanctioned name's own zone (agents.corp.example for mcp.corp.example) is the
        // zone owner's word too: no one else can create names there.
        if (!string.IsNullOrEmpty(question) && !Contains(chain, question) && InZoneOf(question, chain))
            _sanctionedAliases.Set(question.ToLowerInvariant(), true);
        foreach (var owner in owners)
            if (!string.IsNullOrEmpty(owner) && !Contains(chain, owner) && InZoneOf(owner, chain))
                _sanctionedAliases.Set(owner.ToLowerInvariant(), true);
    }

    // Whether name lies in the parent zone of a sanctioned name on the chain; only for sanctioned names of three labels
    // or more, so the parent is never a top-level domain anyone registers under (corp.example, not example).
    private bool InZoneOf(string name, List<string> chain)
    {
        foreach (var sanctioned in chain)
        {
            if (!IsSanctioned(sanctioned)) continue;
            var dot = sanctioned.IndexOf('.');
            if (dot <= 0 || sanctioned.IndexOf('.', dot + 1) < 0) continue;
            var parent = sanctioned.AsSpan(dot);
            if (name.Length > parent.Length && name.AsSpan().EndsWith(parent, StringComparison.OrdinalIgnoreCase)) return true;
        }
        return false;
    }

    // A CNAME (or other name-valued) answer's data, not an address or TXT text.
    private static bool LooksLikeName(string value)
    {
        if (value.Length == 0 || IPAddress.TryParse(value, out _)) return false;
        foreach (var c in value)
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_')) return false;
        return true;
    }

    /// <summary>Sanctioned names whose answers came from a resolver that is not trusted, and were ignored.</summary>
    public long UntrustedAnswersIgnored { get; private set; }

    // The DNS flow's server is the resolver that answered (or whoever sent the packet in its name).
    private bool Trusted(string resolver)
    {
        if (_trusted.Length == 0) return true;
        if (!IPAddress.TryParse(resolver, out var address)) return false;
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        for (var i = 0; i < _trusted.Length; i++)
            if (_trusted[i].Contains(address)) return true;
        return false;
    }

    // ::ffff:10.0.0.0/120 is 10.0.0.0/24; a mapped network shorter than /96 also holds addresses that are not mapped, and stays as it is.
    private static IPNetwork AsIPv4IfMapped(IPNetwork network) =>
        network.BaseAddress.IsIPv4MappedToIPv6 && network.PrefixLength >= 96
            ? new IPNetwork(network.BaseAddress.MapToIPv4(), network.PrefixLength - 96)
            : network;

    private bool IsSanctioned(string name) => sanctionedName is not null && sanctionedName(name);

    private void Add(string address, string? name, bool trusted)
    {
        if (string.IsNullOrEmpty(name) || IPAddress.TryParse(name, out _)) return;
        if (!trusted && IsSanctioned(name))
        {
            UntrustedAnswersIgnored++;
            return;
        }
        AddAddressOf(name, address);
        if (trusted && IsSanctioned(name)) _contested.Remove((address, name.ToLowerInvariant()));
        // A new answer for an address counts as a use: a server still being resolved keeps its names.
        if (!_names.TryGetValue(address, out var names)) _names.Set(address, names = new List<string>(2));
        if (names.Count >= maxNamesPerAddress) return;
        foreach (var known in names)
            if (string.Equals(known, name, StringComparison.OrdinalIgnoreCase)) return;
        names.Add(name.ToLowerInvariant());
    }

    // The latest addresses of a name win: a name that moves keeps vouching for where it lives now.
    private void AddAddressOf(string name, string address)
    {
        if (!IsSanctioned(name)) return;
        if (!_addressesOfName.TryGetValue(name, out var addresses))
            _addressesOfName.Set(name.ToLowerInvariant(), addresses = new List<string>(1));
        if (Contains(addresses, address)) return;
        if (addresses.Count >= maxNamesPerAddress) addresses.RemoveAt(0);
        addresses.Add(address);
    }
}
