using ShadowMcp.Enforcer.Backends;

namespace ShadowMcp.Enforcer.Engine;

/// <summary>
/// One enforce run per store at a time: an exclusive lock file beside the store. The kernel drops the lock when
/// the process dies, even by SIGKILL, so a killed run never blocks the next one.
/// </summary>
internal static class RunLock
{
    public static IDisposable Take(string dbPath)
    {
        var path = Path.GetFullPath(dbPath) + ".enforce.lock";
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            throw new BackendException($"another `enforce` run holds {path}; try again when it ends");
        }
    }
}
