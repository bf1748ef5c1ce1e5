namespace ShadowMcp.Core.Reading;

/// <summary>
/// How many findings of each verdict match a query, and how many of them are <see cref="New"/> (first seen on or after
/// the time the reader was given).
/// </summary>
public sealed record VerdictCounts(int Shadow, int Suspected, int Sanctioned, int New)
{
    public int Total => Shadow + Suspected + Sanctioned;
}
