namespace ShadowMcp.Scanner.Sharding;

/// <summary>
/// One recorded emission of a shard: what was emitted (<see cref="Item"/>: an observation, a flow record, a TLS
/// summary, ...), the work a worker already did on it in parallel (<see cref="Prepared"/>, e.g. the rule hits of
/// an observation), and where it belongs in one-thread order.
/// </summary>
public readonly record struct ShardEvent(EmissionKey Key, object Item, object? Prepared);
