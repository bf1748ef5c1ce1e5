namespace ShadowMcp.Core.Store;

/// <summary>The database engine behind a store target.</summary>
public enum StoreProvider
{
    /// <summary>The embedded default: one file on this machine.</summary>
    Sqlite,

    /// <summary>A shared server that several sensors and `serve` processes write to.</summary>
    Postgres,
}
