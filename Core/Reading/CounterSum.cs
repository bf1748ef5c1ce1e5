namespace ShadowMcp.Core.Reading;

/// <summary>
/// Sums of stored counters that stop at <see cref="long.MaxValue"/> instead of overflowing. A remote sensor with a
/// valid token chooses its counters; a sum it pushed past a long must not break a report or page for everyone
/// (PostgreSQL refuses a bigint sum out of range, LINQ's Sum throws), and "at least this many" is still the truth.
/// </summary>
public static class CounterSum
{
    public static long Add(long a, long b)
    {
        var sum = unchecked(a + b);
        // Overflow only when both have the sign the sum lacks.
        return ((a ^ sum) & (b ^ sum)) < 0 ? (a < 0 ? long.MinValue : long.MaxValue) : sum;
    }

    public static long Of(params ReadOnlySpan<long> values)
    {
        long sum = 0;
        foreach (var v in values) sum = Add(sum, v);
        return sum;
    }

    public static long Of<T>(IEnumerable<T> items, Func<T, long> value)
    {
        long sum = 0;
        foreach (var item in items) sum = Add(sum, value(item));
        return sum;
    }
}
