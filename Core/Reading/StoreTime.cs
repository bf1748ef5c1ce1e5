namespace ShadowMcp.Core.Reading;

/// <summary>
/// Times to and from the store. SQLite hands DateTime back without a kind; PostgreSQL's timestamptz parameters must be
/// UTC. Every time the read API takes or gives is UTC, whichever engine is behind it.
/// </summary>
internal static class StoreTime
{
    public static DateTime Utc(DateTime t) =>
        t.Kind == DateTimeKind.Local ? t.ToUniversalTime() : DateTime.SpecifyKind(t, DateTimeKind.Utc);
}
