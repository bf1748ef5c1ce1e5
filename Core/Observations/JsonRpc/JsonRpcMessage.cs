namespace ShadowMcp.Core.Observations.JsonRpc;

/// <summary>One JSON-RPC 2.0 message as read from a body: its kind, method, id and flattened members.</summary>
public sealed class JsonRpcMessage
{
    /// <summary>One of the jsonrpc.* <see cref="ObservationKinds"/>.</summary>
    public required string Kind { get; init; }
    public string? Method { get; init; }
    /// <summary>The id as text; null for notifications and null ids.</summary>
    public string? Id { get; init; }
    /// <summary>The id with its JSON type, so that <c>1</c> and <c>"1"</c> stay distinct when pairing.</summary>
    public string? IdKey { get; init; }
    public bool Batch { get; init; }
    /// <summary><c>params.…</c>, <c>result.…</c>, <c>error.…</c> paths.</summary>
    public required FieldBag Members { get; init; }
}
