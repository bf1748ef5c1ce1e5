using System.Text.RegularExpressions;
using ShadowMcp.Classifier.Rules;
using ShadowMcp.Core.Findings;
using ShadowMcp.Core.Observations;

namespace ShadowMcp.Classifier.Aggregation;

/// <summary>What the aggregator knows about one endpoint so far: rule tallies, facts from records and transport traits.</summary>
internal sealed partial class EndpointState(Endpoint endpoint)
{
    private const int MaxSetSize = 512;
    private const int MaxTiedNames = 64;
    // Names pushed out of HostNames or TiedNames, and clients out of Clients, since the aggregator last took the counts.
    private long _namesDisplaced;
    private long _clientsDisplaced;

    public Endpoint Endpoint { get; } = endpoint;
    public string Key { get; } = endpoint.Key;
    /// <summary>The party this endpoint belongs to when room must be made (see <see cref="AddressGroup"/>).</summary>
    public string Group { get; } = AddressGroup.Of(endpoint);
    public Dictionary<string, RuleTally> Tallies { get; } = new(StringComparer.Ordinal);
    /// <summary>Distinct flows, by 5-tuple; bounded memory however many (see <see cref="DistinctFlows"/>).</summary>
    public DistinctFlows Flows { get; } = new();
    /// <summary>Client addresses, the most seen ones when there are more than it lists (see <see cref="MostSeen"/>).</summary>
    public MostSeen Clients { get; } = new(MaxSetSize);
    public SortedSet<string> ClientApps { get; } = new(StringComparer.Ordinal);
    public SortedSet<string> Tools { get; } = new(StringComparer.Ordinal);
    public SortedSet<string> ProtocolVersions { get; } = new(StringComparer.Ordinal);
    /// <summary>Host headers and hosts rules captured, the most seen ones when there are more than it lists.</summary>
    public MostSeen HostNames { get; } = new(MaxSetSize);
    /// <summary>Names tied to this endpoint's flows by SNI or by a DNS answer to the same client just before.</summary>
    public MostSeen TiedNames { get; } = new(MaxTiedNames);
    /// <summary>
    /// The names among <see cref="TiedNames"/> that a DNS answer to the flow's client tied to this server address
    /// (not the SNI, which the client chooses): names that may match a sanctioned entry by name.
    /// </summary>
    public MostSeen DnsTiedNames { get; } = new(MaxTiedNames);
    /// <summary>
    /// The server names the flows' ClientHellos carried (SNI): with the Host headers, the names the flows themselves
    /// used, as opposed to names a DNS answer tied to them. Every one is also in <see cref="TiedNames"/>. Made on the
    /// first name: the aggregator keeps them only when sanctioned entries need them.
    /// </summary>
    public IEnumerable<string> SniNames => _sniNames?.Names ?? (IEnumerable<string>)[];
    private MostSeen? _sniNames;
    public HashSet<string> ImpliedTransports { get; } = new(StringComparer.Ordinal);
    public string? FirstHostHeader { get; private set; }
    public ServerInfo? Server { get; private set; }
    public DateTime FirstSeen { get; private set; } = DateTime.MaxValue;
    public DateTime LastSeen { get; private set; } = DateTime.MinValue;

    // Transport traits, as the wire showed them.
    public bool LegacyEndpointEvent { get; private set; }
    public bool SessionId { get; private set; }
    public bool SseResponseToPost { get; private set; }
    public bool JsonResponseToPost { get; private set; }
    public bool JsonRpcOverPost { get; private set; }
    public bool SawHttp { get; private set; }
    public bool SawTls { get; private set; }
    public bool SawDns { get; private set; }

    /// <summary>True once a rule stronger than context fired here: only then is the endpoint a finding.</summary>
    public bool HasFindingEvidence
    {
        get
        {
            foreach (var tally in Tallies.Values)
                if (tally.Rule.Evidence.Strength != EvidenceStrength.Context) return true;
            return false;
        }
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}$")]
    private static partial Regex DateShaped();

    /// <summary>Counts one hit of <paramref name="rule"/> on <paramref name="observation"/>, with the values its records captured.</summary>
    public void AddHit(Rule rule, Observation observation, IReadOnlyList<KeyValuePair<string, string>> records)
    {
        if (Tallies.TryGetValue(rule.Id, out var tally)) tally.Add(observation.Time);
        else Tallies[rule.Id] = new RuleTally(rule, EvidenceHit.DetailOf(rule, observation.Basis, records), Example(observation), observation.Time);
        if (rule.Evidence.Transport is { } transport) ImpliedTransports.Add(transport);

        string? server = null, serverVersion = null, client = null, clientVersion = null;
        // An index loop: foreach over the read-only list would box its enumerator for every hit.
        for (var i = 0; i < records.Count; i++)
        {
            var (name, value) = records[i];
            switch (name)
            {
                case RecordNames.ProtocolVersion when DateShaped().IsMatch(value): ProtocolVersions.Add(value); break;
                case RecordNames.Server: server ??= value; break;
                case RecordNames.ServerVersion: serverVersion ??= value; break;
                case RecordNames.Client: client ??= value; break;
                case RecordNames.ClientVersion: clientVersion ??= value; break;
                case RecordNames.Tool: AddBounded(Tools, value); break;
                case RecordNames.Host: AddName(HostNames, value.ToLowerInvariant()); break;
            }
        }
        if (server is not null && (Server is null || Server.Version is null)) Server = new ServerInfo(server, serverVersion);
        if (client is not null) AddBounded(ClientApps, ClientApp(client, clientVersion));
    }

    // "name version" of the client app last added: every session of one client repeats the same pair.
    private (string Client, string? Version, string Text) _lastClientApp;

    private string ClientApp(string client, string? version)
    {
        if (version is null) return client;
        var last = _lastClientApp;
        if (last.Text is not null && string.Equals(last.Client, client, StringComparison.Ordinal)
            && string.Equals(last.Version, version, StringComparison.Ordinal)) return last.Text;
        var text = $"{client} {version}";
        _lastClientApp = (client, version, text);
        return text;
    }

    /// <summary>Notes the transport traits and names an HTTP-family observation shows for this endpoint.</summary>
    public void ObserveTraits(Observation observation)
    {
        var fields = observation.Fields;
        switch (observation.Kind)
        {
            case ObservationKinds.Dns: SawDns = true; return;
            case ObservationKinds.TlsClientHello: SawTls = true; return;
            case ObservationKinds.HttpRequest:
                SawHttp = true;
                if (fields.Has("header.mcp-session-id")) SessionId = true;
                if (fields.Get("host") is { Length: > 0 } host && !MayBeAddress(host))
                {
                    FirstHostHeader ??= host.ToLowerInvariant();
                    AddName(HostNames, host.ToLowerInvariant());
                }
                break;
            case ObservationKinds.HttpResponse:
                SawHttp = true;
                if (fields.Has("header.mcp-session-id")) SessionId = true;
                if (fields.Get("request.method") == "POST")
                {
                    var type = fields.Get("content_type");
                    if (type == "text/event-stream") SseResponseToPost = true;
                    else if (type == "application/json") JsonResponseToPost = true;
                }
                break;
            case ObservationKinds.SseEvent:
                SawHttp = true;
                if (fields.Get("event") == "endpoint") LegacyEndpointEvent = true;
                break;
            default:
                if (!EndpointResolver.IsHttpKind(observation.Kind)) return;
                SawHttp = true;
                if (fields.Get("http.method") == "POST") JsonRpcOverPost = true;
                if (fields.Has("http.header.mcp-session-id")) SessionId = true;
                break;
        }
    }

    /// <summary>Counts the observation's flow, client and time for this endpoint.</summary>
    public void Touch(Observation observation)
    {
        Flows.Add(observation.Flow);
        if (Clients.Add(observation.Flow.Client)) _clientsDisplaced++;
        if (observation.Time < FirstSeen) FirstSeen = observation.Time;
        if (observation.Time > LastSeen) LastSeen = observation.Time;
    }

    /// <summary>Takes over everything another state for the same endpoint collected (legacy SSE message paths).</summary>
    public void MergeFrom(EndpointState other)
    {
        foreach (var (id, tally) in other.Tallies)
        {
            if (Tallies.TryGetValue(id, out var mine)) mine.Merge(tally);
            else Tallies[id] = tally;
        }
        Flows.UnionWith(other.Flows);
        // What the merge pushes out is counted like any other displacement (the aggregator takes it after this observation).
        _clientsDisplaced += Clients.UnionWith(other.Clients);
        ClientApps.UnionWith(other.ClientApps);
        Tools.UnionWith(other.Tools);
        ProtocolVersions.UnionWith(other.ProtocolVersions);
        _namesDisplaced += HostNames.UnionWith(other.HostNames) + TiedNames.UnionWith(other.TiedNames);
        // Not counted as displaced: every such name is also in TiedNames, which counts.
        DnsTiedNames.UnionWith(other.DnsTiedNames);
        if (other._sniNames is { } sni) (_sniNames ??= new(MaxTiedNames)).UnionWith(sni);
        ImpliedTransports.UnionWith(other.ImpliedTransports);
        FirstHostHeader ??= other.FirstHostHeader;
        if (Server is null || (Server.Version is null && other.Server?.Version is not null)) Server = other.Server ?? Server;
        if (other.FirstSeen < FirstSeen) FirstSeen = other.FirstSeen;
        if (other.LastSeen > LastSeen) LastSeen = other.LastSeen;
        LegacyEndpointEvent |= other.LegacyEndpointEvent;
        SessionId |= other.SessionId;
        SseResponseToPost |= other.SseResponseToPost;
        JsonResponseToPost |= other.JsonResponseToPost;
        JsonRpcOverPost |= other.JsonRpcOverPost;
        SawHttp |= other.SawHttp;
        SawTls |= other.SawTls;
        SawDns |= other.SawDns;
    }

    /// <summary>
    /// The transport, strongest trait first: an endpoint event means legacy SSE; a session id means Streamable
    /// HTTP (JSON flavour when POSTs were only answered with JSON); JSON-RPC over POST without a session (or
    /// 2026-07-28, which has no sessions) means stateless; otherwise plain http, tls or dns.
    /// </summary>
    public string Transport()
    {
        if (LegacyEndpointEvent || ImpliedTransports.Contains(Transports.SseLegacy)) return Transports.SseLegacy;
        var sessionful = SessionId || ImpliedTransports.Contains(Transports.StreamableHttp) || ImpliedTransports.Contains(Transports.StreamableHttpJson);
        if (sessionful)
            return (JsonResponseToPost && !SseResponseToPost) || (ImpliedTransports.Contains(Transports.StreamableHttpJson) && !SseResponseToPost)
                ? Transports.StreamableHttpJson
                : Transports.StreamableHttp;
        if (SawHttp)
        {
            var stateless = JsonRpcOverPost || SseResponseToPost || JsonResponseToPost
                || ImpliedTransports.Contains(Transports.Stateless)
                || ProtocolVersions.Any(v => string.CompareOrdinal(v, "2026-07-28") >= 0);
            return stateless ? Transports.Stateless : Transports.Http;
        }
        if (SawTls) return Transports.Tls;
        if (SawDns) return Transports.Dns;
        return Transports.Http;
    }

    /// <summary>
    /// Whether a Host header is an address literal. A name with a letter an IPv4 literal cannot hold (all but hex
    /// digits and x) and no colon is not one; only the rest is parsed, since parsing a name allocates about 1.5 KB.
    /// </summary>
    internal static bool MayBeAddress(string host) =>
        (host.Contains(':') || !host.AsSpan().ContainsAnyExcept(Ipv4LiteralChars)) && System.Net.IPAddress.IsValid(host);

    private static readonly System.Buffers.SearchValues<char> Ipv4LiteralChars =
        System.Buffers.SearchValues.Create("0123456789abcdefABCDEFxX.");

    private static string Example(Observation observation)
    {
        var text = observation.ToString();
        return text.Length <= 400 ? text : text[..400] + "…";
    }

    /// <summary>Counts a name the observation's flow is tied to (its SNI, a DNS answer to its client).</summary>
    public void AddTiedName(string name) => AddName(TiedNames, name);

    /// <summary>
    /// Counts a name a DNS answer to the observation's client tied to this server address. Not counted as displaced:
    /// every such name is also added to <see cref="TiedNames"/>, which counts.
    /// </summary>
    public void AddDnsTiedName(string name) => DnsTiedNames.Add(name);

    /// <summary>Counts a name the observation's flow sent as SNI (not counted as displaced: it is also a tied name).</summary>
    public void AddSniName(string name) => (_sniNames ??= new(MaxTiedNames)).Add(name);

    /// <summary>Clients pushed out of <see cref="Clients"/> since the last call, for the aggregator's count.</summary>
    public long TakeClientsDisplaced()
    {
        var displaced = _clientsDisplaced;
        _clientsDisplaced = 0;
        return displaced;
    }

    /// <summary>Names pushed out of the lists since the last call, for the aggregator's count.</summary>
    public long TakeNamesDisplaced()
    {
        var displaced = _namesDisplaced;
        _namesDisplaced = 0;
        return displaced;
    }

    private void AddName(MostSeen names, string name)
    {
        if (names.Add(name)) _namesDisplaced++;
    }

    private static void AddBounded(SortedSet<string> set, string value)
    {
        if (set.Count < MaxSetSize) set.Add(value);
    }
}
