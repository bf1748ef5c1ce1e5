using ShadowMcp.Core.Collections;

namespace ShadowMcp.Core.Tests.Collections;

/// <summary>
/// The bounded recency tables (the aggregator's SNI and DNS tables, the scanner's address texts): never more than their capacity, the newest entry always
/// there, and an entry in use kept however many pass by.
/// </summary>
public sealed class RecentTableTests
{
    [Test]
    public void Set_ManyMoreThanTheCapacity_HoldsAtMostTheCapacityAndTheNewest()
    {
        var table = new RecentTable<int, string>(100);
        for (var i = 0; i < 10_000; i++)
        {
            table.Set(i, $"v{i}");
            Assert.That(table.Count, Is.LessThanOrEqualTo(100));
        }

        Assert.That(table.TryGetValue(9_999, out var newest), Is.True);
        Assert.That(newest, Is.EqualTo("v9999"));
        Assert.That(table.TryGetValue(0, out _), Is.False, "the oldest entries left to make room");
    }

    [Test]
    public void TryGetValue_EntryReadBetweenWrites_StaysWhileOthersLeave()
    {
        var table = new RecentTable<string, int>(10, StringComparer.Ordinal);
        table.Set("in use", 1);
        table.Set("idle", 2);
        for (var i = 0; i < 1_000; i++)
        {
            table.Set($"other{i}", i);
            // Read once per four writes: within every half capacity (5) of writes.
            if (i % 4 == 0) Assert.That(table.TryGetValue("in use", out var value) && value == 1, Is.True, $"after {i} others");
        }

        Assert.That(table.TryGetValue("in use", out _), Is.True);
        Assert.That(table.TryGetValue("idle", out _), Is.False);
    }

    [Test]
    public void Set_ExistingKey_ReplacesTheValueWithoutGrowing()
    {
        var table = new RecentTable<int, string>(4);
        table.Set(1, "a");
        table.Set(2, "b");
        table.Set(3, "c");
        table.Set(1, "z");

        Assert.That(table.TryGetValue(1, out var value), Is.True);
        Assert.That(value, Is.EqualTo("z"));
        Assert.That(table.Count, Is.EqualTo(3));
    }

    [Test]
    public void TryPeek_EntryOnlyPeekedAt_LeavesLikeAnIdleOne()
    {
        var table = new RecentTable<int, string>(4);
        table.Set(1, "a");
        for (var i = 2; i < 8; i++)
        {
            table.Set(i, "x");
            table.TryPeek(1, out _);
        }

        Assert.That(table.TryPeek(1, out _), Is.False, "peeking is not a use");
        Assert.That(table.TryPeek(7, out var newest) && newest == "x", Is.True);
    }

    [Test]
    public void Dropped_AfterManyMoreThanTheCapacity_CountsEveryEntryNoLongerThere()
    {
        var table = new RecentTable<int, int>(10);
        for (var i = 0; i < 1_000; i++) table.Set(i, i);

        Assert.That(table.Dropped + table.Count, Is.EqualTo(1_000));
    }
}
