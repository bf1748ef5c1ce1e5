using ShadowMcp.Core.Reading;

namespace ShadowMcp.Core.Tests.Reading;

/// <summary>Sums of counters stop at long's bounds instead of wrapping or throwing; below them they are exact.</summary>
public sealed class CounterSumTests
{
    [TestCase(1L, 2L, 3L)]
    [TestCase(long.MaxValue, 0L, long.MaxValue)]
    [TestCase(long.MaxValue, 1L, long.MaxValue)]
    [TestCase(long.MaxValue - 1, long.MaxValue, long.MaxValue)]
    [TestCase(long.MaxValue, -1L, long.MaxValue - 1)]
    [TestCase(long.MinValue, -1L, long.MinValue)]
    public void Add_HeldAtTheBounds(long a, long b, long expected) => Assert.That(CounterSum.Add(a, b), Is.EqualTo(expected));

    [Test]
    public void Of_ManyLargeCounters_HeldAtTheMaximum() =>
        Assert.That(CounterSum.Of(Enumerable.Repeat(long.MaxValue / 3, 5), v => v), Is.EqualTo(long.MaxValue));
}
