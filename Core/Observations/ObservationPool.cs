namespace ShadowMcp.Core.Observations;

/// <summary>
/// Observations and field bags a sink hands back once it is done with them, for the analyzers to fill again. A
/// shard's recorder keeps what its worker emitted only until the merge has replayed it; without the pool a sharded
/// scan made an observation, a bag, its array and a string per field for every message (ten times the one-thread
/// scan's garbage, and the collections that stopped every thread). One thread rents and returns: the worker, which
/// takes back a batch's replayed observations before it writes into that batch again.
/// </summary>
public sealed class ObservationPool
{
    // A bag that grew past these keeps no place in the pool: a few large bodies must not pin memory for the scan's life.
    private const int MaxPooledFields = 256;
    private const int MaxPooledUtf8Bytes = 16 << 10;

    /// <summary>
    /// Idle observations, and idle bags, kept at most: what a shard has in flight in steady traffic (about a thousand
    /// on the dense capture) fits, and a burst past it (a JSON-RPC batch of thousands of messages) is not pinned for
    /// the rest of a run that may last days.
    /// </summary>
    public const int MaxIdle = 4096;

    private readonly Stack<Observation> _observations = new();
    private readonly Stack<FieldBag> _bags = new();
    private readonly FieldBag _noFields = new(0);

    /// <summary>An empty bag that decodes text on first read (the analyzers' reused bag does the same).</summary>
    public FieldBag RentFields() => _bags.TryPop(out var bag) ? bag : new FieldBag(32) { DecodesLazily = true };

    /// <summary>An observation of this pool holding the given parts.</summary>
    public Observation Fill(string kind, FlowRef flow, DateTime time, FieldBag fields, string? source, ObservationBasis basis)
    {
        if (!_observations.TryPop(out var observation))
            return new Observation { Kind = kind, Flow = flow, Time = time, Fields = fields, Source = source, Basis = basis, Pool = this };
        observation.Refill(kind, flow, time, fields, source, basis);
        return observation;
    }

    /// <summary>
    /// Takes back an observation nobody reads any more, with its bag; an observation this pool did not make is left
    /// alone. The caller vouches that no reference to either is kept elsewhere.
    /// </summary>
    public void Return(Observation observation)
    {
        if (!ReferenceEquals(observation.Pool, this)) return;
        var bag = observation.Fields;
        // The idle observation points at an empty bag of the pool's, not its last one: a bag too large to keep would
        // otherwise stay pinned through it until (if ever) it is filled again, and a kept one would have two owners.
        observation.Refill("", observation.Flow, default, _noFields, null, default);
        bag.Clear();
        if (bag.DecodesLazily && bag.Capacity <= MaxPooledFields && bag.Utf8Capacity <= MaxPooledUtf8Bytes && _bags.Count < MaxIdle)
            _bags.Push(bag);
        if (_observations.Count < MaxIdle) _observations.Push(observation);
    }

    /// <summary>Observations and bags waiting to be filled again.</summary>
    public int Idle => _observations.Count + _bags.Count;
}
