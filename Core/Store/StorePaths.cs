namespace ShadowMcp.Core.Store;

/// <summary>Where the embedded store lives unless <c>--db</c> says otherwise.</summary>
public static class StorePaths
{
    /// <summary>
    /// $SHADOWMCP_DB if set, else the user's data directory: ~/.local/share/shadowmcp/shadowmcp.db on Linux.
    /// </summary>
    public static string Default
    {
        get
        {
            var fromEnv = Environment.GetEnvironmentVariable("SHADOWMCP_DB");
            if (!string.IsNullOrWhiteSpace(fromEnv)) return fromEnv;
            return Path.Combine(DataDirectory, "shadowmcp.db");
        }
    }

    /// <summary>
    /// This machine's ShadowMcp folder (~/.local/share/shadowmcp on Linux), whatever $SHADOWMCP_DB says: where files
    /// that cannot live beside a PostgreSQL store (the portal's audit keys) go by default.
    /// </summary>
    public static string DataDirectory
    {
        get
        {
            var data = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create);
            if (string.IsNullOrEmpty(data)) data = Path.Combine(Path.GetTempPath(), "shadowmcp-data");
            return Path.Combine(data, "shadowmcp");
        }
    }

    public static string ConnectionString(string path)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        return $"Data Source={full};Pooling=False";
    }
}
