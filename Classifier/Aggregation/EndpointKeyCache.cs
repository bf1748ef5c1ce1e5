using ShadowMcp.Core.Findings;

namespace ShadowMcp.Classifier.Aggregation;

/// <summary>
/// The keys of the endpoints named last. Nearly every observation is filed under an endpoint named just before (one
/// server and path for all of a session's messages, often for many sessions), so a key is built once per change
/// instead of once per hit. A handful of entries, searched in order, replaced round-robin.
/// </summary>
internal sealed class EndpointKeyCache
{
    private const int Size = 8;
    private readonly EndpointParts[] _parts = new EndpointParts[Size];
    private readonly string?[] _keys = new string?[Size];
    private int _next;

    public string KeyOf(in EndpointParts parts)
    {
        for (var i = 0; i < Size; i++)
            if (_keys[i] is { } key && _parts[i].SameAs(parts)) return key;
        var made = Endpoint.KeyOf(parts.Address, parts.Port, parts.Host, parts.Path);
        _parts[_next] = parts;
        _keys[_next] = made;
        _next = (_next + 1) % Size;
        return made;
    }
}
