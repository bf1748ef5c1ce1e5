using ShadowMcp.Core.Findings;

namespace ShadowMcp.Classifier;

/// <summary>Settings for classification: the sanctioned endpoints and memory bounds of the aggregator.</summary>
public sealed class ClassifierOptions
{
    /// <summary>
    /// Approved endpoints; a finding matching any of them gets the verdict sanctioned. A name-only entry matches a
    /// server address only by a name a DNS answer seen tied to that address, never by a Host header or SNI alone.
    /// </summary>
    public IReadOnlyList<SanctionedEndpoint> Sanctioned { get; init; } = [];

    /// <summary>
    /// The DNS resolvers whose answers may vouch that a sanctioned name lives at an address (addresses or networks).
    /// An answer from any other server (a resolver of the user's own choosing, or one the user runs) still names
    /// addresses, but is ignored for sanctioned names: otherwise whoever answers their own DNS could place a
    /// sanctioned name at their shadow server. Empty: every resolver is trusted (set it in production).
    /// </summary>
    public IReadOnlyList<System.Net.IPNetwork> TrustedResolvers { get; init; } = [];

    /// <summary>
    /// Endpoints tracked at once. Past it, room is made in batches: endpoints holding only context evidence go
    /// first, then those of the address (IPv6: /64) that holds the most endpoints, the weakest evidence and the
    /// least recently seen. A new endpoint is never turned away; every endpoint given up is counted.
    /// </summary>
    public int MaxTrackedEndpoints { get; init; } = 100_000;

    /// <summary>
    /// HTTP paths tracked as their own endpoints per server address:port; further paths on that server are filed
    /// under one endpoint with the path <c>/*</c>, keeping their evidence, so one server answering on any path
    /// cannot fill the table.
    /// </summary>
    public int MaxPathsPerServer { get; init; } = 1_024;

    /// <summary>
    /// Server addresses whose DNS names are remembered, and DNS answers kept per client and address to tie flows to
    /// names (the most recent ones).
    /// </summary>
    public int MaxKnownAddresses { get; init; } = 200_000;

    /// <summary>
    /// TLS flows whose SNI is remembered for the flow's later observations (decrypted HTTP, the ServerHello): the
    /// most recently seen or used. A flow keeps its name as long as fewer than half this many other TLS flows start
    /// between two of its observations; each entry costs about 100-250 bytes.
    /// </summary>
    public int MaxRecentTlsFlows { get; init; } = 65_536;

    /// <summary>Names remembered per server address.</summary>
    public int MaxNamesPerAddress { get; init; } = 16;

    /// <summary>
    /// How long after a DNS answer a flow from the same client to the answered address counts as using that name.
    /// </summary>
    public TimeSpan DnsTieWindow { get; init; } = TimeSpan.FromMinutes(10);
}
