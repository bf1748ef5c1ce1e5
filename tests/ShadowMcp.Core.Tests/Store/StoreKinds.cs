using NUnit.Framework.Internal;
using ShadowMcp.Tests;

namespace ShadowMcp.Core.Tests.Store;

/// <summary>
/// The fixture source of the store tests: each runs once on an embedded SQLite file and once on a real PostgreSQL
/// server (<see cref="LocalPostgres"/>); the PostgreSQL variant starts a server, so it is in the Integration lane.
/// </summary>
internal static class StoreKinds
{
    public static IEnumerable<TestFixtureData> Both()
    {
        yield return new TestFixtureData(StoreKind.Sqlite);
        var postgres = new TestFixtureData(StoreKind.Postgres);
        postgres.Properties.Add(PropertyNames.Category, ExternalTools.IntegrationCategory);
        yield return postgres;
    }

    /// <summary>
    /// A fresh, empty store of <paramref name="kind"/>: a file named <paramref name="name"/> in <paramref name="dir"/>,
    /// or a new database on the run's PostgreSQL server. Opening the returned target twice opens the same store.
    /// </summary>
    public static string NewTarget(StoreKind kind, string dir, string name) => kind == StoreKind.Sqlite
        ? Path.Combine(dir, name)
        : LocalPostgres.CreateDatabase(TestContext.CurrentContext.Test.MethodName ?? "store");
}
