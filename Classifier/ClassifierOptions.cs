using ShadowMcp.Core.Findings;

namespace ShadowMcp.Classifier;

/// <summary>Settings for classification: the sanctioned endpoints and memory bounds of the aggregator.</summary>
public sealed class ClassifierOptions
{
    /// <summary>Approved endpoints; a finding matching any of them gets the verdict sanctioned.</summary>
    public IReadOnlyList<SanctionedEndpoint> Sanctioned { get; init; } = [];

    /// <summary>Endpoints tracked at once; past it, endpoints holding only context evidence are dropped first.</summary>
    public int MaxTrackedEndpoints { get; init; } = 100_000;

    /// <summary>Server addresses whose names (DNS answers, Host headers, SNI) are remembered.</summary>
    public int MaxKnownAddresses { get; init; } = 200_000;

    /// <summary>Names remembered per server address.</summary>
    public int MaxNamesPerAddress { get; init; } = 16;

    /// <summary>
    /// How long after a DNS answer a flow from the same client to the answered address counts as using that name.
    /// </summary>
    public TimeSpan DnsTieWindow { get; init; } = TimeSpan.FromMinutes(10);
}
