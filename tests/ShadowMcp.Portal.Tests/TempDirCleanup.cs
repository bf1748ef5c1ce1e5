using Microsoft.Data.Sqlite;

using ShadowMcp.Portal.Tests.Fixtures;

namespace ShadowMcp.Portal.Tests;

/// <summary>Deletes this run's store files once every test in the assembly has finished.</summary>
[SetUpFixture]
public sealed class TempDirCleanup
{
    [OneTimeTearDown]
    public void DeleteRunRoot()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            if (Directory.Exists(TempDir.RunRoot)) Directory.Delete(TempDir.RunRoot, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by a finalising connection; the OS temp cleaner gets it later.
        }
    }
}
