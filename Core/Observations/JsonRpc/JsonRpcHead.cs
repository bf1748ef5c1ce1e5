namespace ShadowMcp.Core.Observations.JsonRpc;

/// <summary>
/// One JSON-RPC message read by <see cref="JsonRpcFields.Extract(ReadOnlySpan{byte}, JsonRpcLimits, List{JsonRpcHead}, FieldBag)"/>:
/// what <see cref="JsonRpcMessage"/> holds, with its members as a range of the caller's members bag instead of a bag
/// of its own, so the packet path reads a body without a bag per message.
/// </summary>
public readonly record struct JsonRpcHead(string Kind, string? Method, string? Id, string? IdKey, bool Batch, int MembersStart, int MembersCount)
{
    /// <summary>This message's <c>params.…</c>, <c>result.…</c>, <c>error.…</c> fields in the bag they were read into.</summary>
    public ReadOnlySpan<KeyValuePair<string, string>> Members(FieldBag members) => members.AsSpan().Slice(MembersStart, MembersCount);
}
