using ShadowMcp.Core.Observations;

namespace ShadowMcp.Core.Tests.Observations;

public sealed class ObservationPoolTests
{
    private static readonly FlowRef Flow = new("10.0.0.7", 40000, "10.0.0.5", 443, "tcp");
    private static readonly DateTime T0 = new(2026, 12, 7, 10, 0, 0, DateTimeKind.Utc);

    [Test]
    public void Return_ThenRent_GivesTheSameObjectsBackEmpty()
    {
        var pool = new ObservationPool();
        var bag = pool.RentFields().Add("method", "POST").AddUtf8("body", "{\"jsonrpc\":\"2.0\"}"u8, 1024);
        var first = pool.Fill(ObservationKinds.HttpRequest, Flow, T0, bag, "a.pcap", ObservationBasis.Decrypted);

        pool.Return(first);
        var bagAgain = pool.RentFields();
        var second = pool.Fill(ObservationKinds.Dns, Flow, T0.AddSeconds(1), bagAgain.Add("name", "x.example"), "b.pcap", ObservationBasis.Plaintext);

        Assert.That(bagAgain, Is.SameAs(bag));
        Assert.That(second, Is.SameAs(first));
        Assert.That((second.Kind, second.Source, second.Basis, second.Time), Is.EqualTo((ObservationKinds.Dns, "b.pcap", ObservationBasis.Plaintext, T0.AddSeconds(1))));
        Assert.That(second.Fields.AsSpan().ToArray(), Is.EqualTo(new[] { new KeyValuePair<string, string>("name", "x.example") }));
    }

    [Test]
    public void Return_AnObservationItDidNotMake_LeavesItAlone()
    {
        var pool = new ObservationPool();
        var bag = new FieldBag().Add("method", "POST");
        var foreign = new Observation { Kind = ObservationKinds.HttpRequest, Flow = Flow, Time = T0, Fields = bag };
        var otherPools = new ObservationPool().Fill(ObservationKinds.Dns, Flow, T0, new FieldBag().Add("name", "a"), null, default);

        pool.Return(foreign);
        pool.Return(otherPools);

        Assert.That(pool.Idle, Is.Zero);
        Assert.That(foreign.Fields.Get("method"), Is.EqualTo("POST"), "someone else's observation keeps its fields");
        Assert.That(otherPools.Fields.Get("name"), Is.EqualTo("a"));
    }

    [Test]
    public void Return_ABagThatGrewLarge_IsNotKept()
    {
        // One large body must not pin its buffer in the pool for the rest of the scan.
        var pool = new ObservationPool();
        var bag = pool.RentFields().AddUtf8("body", new byte[64 << 10], 64 << 10);
        var observation = pool.Fill(ObservationKinds.HttpResponse, Flow, T0, bag, null, default);

        pool.Return(observation);

        Assert.That(pool.RentFields(), Is.Not.SameAs(bag));
        Assert.That(bag.Count, Is.Zero, "the bag is emptied even when it is not kept");
    }

    [Test]
    public void Return_ABagThatGrewLarge_IsNotPinnedByTheIdleObservation()
    {
        // The observation waits in the pool (possibly for the rest of the scan) and must not hold the large bag's
        // buffers there either: only the bag stack leaving it out is not enough.
        var pool = new ObservationPool();
        var bag = pool.RentFields().AddUtf8("body", new byte[64 << 10], 64 << 10);
        var observation = pool.Fill(ObservationKinds.HttpResponse, Flow, T0, bag, null, default);

        pool.Return(observation);

        Assert.That(observation.Fields, Is.Not.SameAs(bag));
        Assert.That(observation.Fields.Count, Is.Zero);
    }

    [Test]
    public void Return_AfterABurst_KeepsAtMostMaxIdleOfEach()
    {
        // A live sensor runs for days: one burst of observations in flight (a JSON-RPC batch of thousands of messages)
        // must not stay pinned in the pool for the rest of the run.
        var pool = new ObservationPool();
        var burst = Enumerable.Range(0, 3 * ObservationPool.MaxIdle)
            .Select(i => pool.Fill(ObservationKinds.Dns, Flow, T0, pool.RentFields().Add("name", $"n{i}.example"), null, default))
            .ToList();

        foreach (var observation in burst) pool.Return(observation);

        Assert.That(pool.Idle, Is.LessThanOrEqualTo(2 * ObservationPool.MaxIdle));
    }
}
