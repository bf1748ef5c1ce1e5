using Microsoft.Data.Sqlite;
using Npgsql;

namespace ShadowMcp.Core.Tests.Store;

/// <summary>
/// A store test on one engine (<see cref="StoreKinds.Both"/>): a fresh folder per test for SQLite files, removed
/// afterwards with no pooled connection left open on a deleted file or dropped database.
/// </summary>
public abstract class StoreTest(StoreKind kind)
{
    protected StoreKind Kind { get; } = kind;

    protected string Dir { get; private set; } = "";

    [SetUp]
    public void CreateFolder() => Dir = Directory.CreateTempSubdirectory("shadowmcp-store-").FullName;

    [TearDown]
    public void RemoveFolder()
    {
        SqliteConnection.ClearAllPools();
        NpgsqlConnection.ClearAllPools();
        Directory.Delete(Dir, recursive: true);
    }
}
