namespace ShadowMcp.Enforcer.Tests.Support;

/// <summary>
/// The engine a fixture's store runs on. Fixtures that take it run once per engine; the PostgreSQL instance carries
/// the Integration category (it starts a real server).
/// </summary>
public enum StoreKind
{
    Sqlite,
    Postgres,
}
