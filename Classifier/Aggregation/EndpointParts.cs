using ShadowMcp.Core.Findings;

namespace ShadowMcp.Classifier.Aggregation;

/// <summary>The parts of an <see cref="Endpoint"/>, as a value: a hit names its endpoint without making one.</summary>
internal readonly record struct EndpointParts(string? Address, int? Port, string? Host, string? Path)
{
    public Endpoint ToEndpoint() => new(Address, Port, Host, Path);

    public bool SameAs(in EndpointParts other) => Port == other.Port
        && string.Equals(Address, other.Address, StringComparison.Ordinal) && string.Equals(Host, other.Host, StringComparison.Ordinal)
        && string.Equals(Path, other.Path, StringComparison.Ordinal);
}
