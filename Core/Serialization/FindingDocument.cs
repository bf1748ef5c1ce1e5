using System.Text.Json.Serialization;
using ShadowMcp.Core.Findings;

namespace ShadowMcp.Core.Serialization;

/// <summary>
/// The wire form of a finding: what `scan --format json` prints and what the store keeps per file.
/// Field names are a public contract (see README); add fields, never rename them.
/// </summary>
public sealed record FindingDocument
{
    public required EndpointDocument Endpoint { get; init; }
    /// <summary>Names the endpoint's MCP flows used (Host, :authority, SNI, DNS answers tied to those flows).</summary>
    public string[] Hosts { get; init; } = [];
    /// <summary>Other names that only resolved to the address; never enforcement targets by default.</summary>
    public string[] AddressNames { get; init; } = [];
    /// <summary>Sanctioned names claimed without any DNS answer, which held the finding at suspected (absent when none).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string[]? ClaimedNames { get; init; }
    public required string Transport { get; init; }
    public string[] ProtocolVersions { get; init; } = [];
    public ServerDocument? Server { get; init; }
    public required string Verdict { get; init; }
    public string? VerdictReason { get; init; }
    public double Confidence { get; init; }
    public string[] Clients { get; init; } = [];
    public string[] ClientApps { get; init; } = [];
    public string[] Tools { get; init; } = [];
    public int Flows { get; init; }
    public DateTime FirstSeen { get; init; }
    public DateTime LastSeen { get; init; }
    public EvidenceDocument[] Evidence { get; init; } = [];

    public static FindingDocument From(Finding f) => new()
    {
        Endpoint = new EndpointDocument(f.Endpoint.Address, f.Endpoint.Port, f.Endpoint.Host, f.Endpoint.Path),
        Hosts = [.. f.Hosts],
        AddressNames = [.. f.AddressNames],
        ClaimedNames = f.ClaimedNames.Count == 0 ? null : [.. f.ClaimedNames],
        Transport = f.Transport,
        ProtocolVersions = [.. f.ProtocolVersions],
        Server = f.Server is null ? null : new ServerDocument(f.Server.Name, f.Server.Version),
        Verdict = f.Verdict.ToWire(),
        VerdictReason = f.VerdictReason,
        Confidence = Math.Round(f.Confidence, 3),
        Clients = [.. f.Clients],
        ClientApps = [.. f.ClientApps],
        Tools = [.. f.Tools],
        Flows = f.Flows,
        FirstSeen = DateTime.SpecifyKind(f.FirstSeen, DateTimeKind.Utc),
        LastSeen = DateTime.SpecifyKind(f.LastSeen, DateTimeKind.Utc),
        Evidence = [.. f.Evidence.Select(e => new EvidenceDocument
        {
            Rule = e.Rule, Title = e.Title, Level = e.Level, Detail = e.Detail, Weight = e.Weight, Count = e.Count,
            FirstSeen = DateTime.SpecifyKind(e.FirstSeen, DateTimeKind.Utc),
            LastSeen = DateTime.SpecifyKind(e.LastSeen, DateTimeKind.Utc),
            Example = e.Example,
        })],
    };

    public Finding ToFinding()
    {
        var verdict = VerdictNames.ParseOrSuspected(Verdict);
        var f = new Finding
        {
            Endpoint = new Endpoint(Endpoint.Address, Endpoint.Port, Endpoint.Host, Endpoint.Path),
            Transport = Transport,
            Server = Server is null ? null : new ServerInfo(Server.Name, Server.Version),
            Verdict = verdict,
            VerdictReason = VerdictReason,
            Confidence = Confidence,
            Flows = Flows,
            FirstSeen = FirstSeen,
            LastSeen = LastSeen,
        };
        f.Hosts.UnionWith(Hosts);
        f.AddressNames.UnionWith(AddressNames ?? []);
        f.ClaimedNames.UnionWith(ClaimedNames ?? []);
        f.ProtocolVersions.UnionWith(ProtocolVersions);
        f.Clients.UnionWith(Clients);
        f.ClientApps.UnionWith(ClientApps);
        f.Tools.UnionWith(Tools);
        foreach (var e in Evidence)
            f.Evidence.Add(new Evidence
            {
                Rule = e.Rule, Title = e.Title ?? "", Level = e.Level ?? "medium", Detail = e.Detail, Weight = e.Weight,
                Count = e.Count, FirstSeen = e.FirstSeen, LastSeen = e.LastSeen, Example = e.Example,
            });
        return f;
    }
}

public sealed record EndpointDocument(string? Address, int? Port, string? Host, string? Path);

public sealed record ServerDocument(string Name, string? Version);

public sealed record EvidenceDocument
{
    public required string Rule { get; init; }
    public required string Detail { get; init; }
    public string? Title { get; init; }
    public string? Level { get; init; }
    public double Weight { get; init; }
    public int Count { get; init; }
    public DateTime FirstSeen { get; init; }
    public DateTime LastSeen { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Example { get; init; }
}
