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
            var data = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create);
            if (string.IsNullOrEmpty(data)) data = Path.Combine(Path.GetTempPath(), "shadowmcp-data");
            return Path.Combine(data, "shadowmcp", "shadowmcp.db");
        }
    }

    public static string ConnectionString(string path)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        return $"Data Source={full};Pooling=False";
    }
}
