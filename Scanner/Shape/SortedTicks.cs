namespace ShadowMcp.Scanner.Shape;

/// <summary>
/// Counting in sorted tick arrays, so session features that compare every flow (or request) with every other take
/// a sort and binary searches instead of a loop in a loop: a client with thousands of connections to one server
/// must not make scoring quadratic.
/// </summary>
internal static class SortedTicks
{
    /// <summary>How many values are below <paramref name="value"/> (the index of the first one not below it).</summary>
    public static int Below(ReadOnlySpan<long> sorted, long value)
    {
        int low = 0, high = sorted.Length;
        while (low < high)
        {
            var mid = (int)((uint)(low + high) >> 1);
            if (sorted[mid] < value) low = mid + 1;
            else high = mid;
        }
        return low;
    }

    /// <summary>How many values are at or below <paramref name="value"/> (the index of the first one above it).</summary>
    public static int AtOrBelow(ReadOnlySpan<long> sorted, long value)
    {
        int low = 0, high = sorted.Length;
        while (low < high)
        {
            var mid = (int)((uint)(low + high) >> 1);
            if (sorted[mid] <= value) low = mid + 1;
            else high = mid;
        }
        return low;
    }
}
