using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using ShadowMcp.Core.Store;

namespace ShadowMcp.Hosts.Tests;

/// <summary>The hand-written migration and model snapshot for the host tables agree with the model.</summary>
public sealed class HostStoreMigrationTests
{
    [Test]
    public void DetectionStore_SnapshotMatchesModel_AndHostTablesExist()
    {
        var dir = Directory.CreateTempSubdirectory("shadowmcp-hosts-store-").FullName;
        try
        {
            var path = Path.Combine(dir, "s.db");
            using (var store = FindingStore.Open(path))
            {
                Assert.That(store.Context.Database.HasPendingModelChanges(), Is.False, "ModelSnapshot out of date");
                Assert.That(store.Context.Database.GetAppliedMigrations(), Does.Contain("20261204170000_HostInventoryH16"));
                Assert.That(store.Context.HostScans.Count(), Is.Zero);
            }
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(dir, recursive: true);
        }
    }
}
