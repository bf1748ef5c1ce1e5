namespace ShadowMcp.Core.Tests.Store;

/// <summary>The engines every store test runs against.</summary>
public enum StoreKind
{
    Sqlite,
    Postgres,
}
