namespace ShadowMcp.Hosts.Processes;

/// <summary>
/// Whether a script belongs to a project that depends on an MCP SDK: the nearest package.json (npm) or
/// pyproject.toml / requirements.txt (Python) above it names one.
/// </summary>
internal static class SdkDependency
{
    private static readonly string[] NpmSdks = ["\"@modelcontextprotocol/sdk\"", "\"fastmcp\"", "\"mcp-framework\"", "\"@mastra/mcp\""];
    private static readonly string[] PythonSdks = ["mcp", "fastmcp"];
    private const int MaxLevels = 6;
    private const long MaxManifestBytes = 1 << 20;

    public static bool Declared(string script)
    {
        string? dir;
        try { dir = Path.GetDirectoryName(Path.GetFullPath(script)); }
        catch (Exception ex) when (ex is ArgumentException or PathTooLongException or NotSupportedException) { return false; }
        for (int level = 0; dir is not null && level < MaxLevels; level++, dir = Path.GetDirectoryName(dir))
        {
            if (Read(Path.Combine(dir, "package.json")) is { } npm) return NpmSdks.Any(s => npm.Contains(s, StringComparison.Ordinal));
            var py = Read(Path.Combine(dir, "pyproject.toml")) ?? Read(Path.Combine(dir, "requirements.txt"));
            if (py is not null) return py.Split('\n').Any(l => PythonSdks.Any(s => NamesPackage(l, s)));
        }
        return false;
    }

    /// <summary>A requirement line or dependency string that starts with the package name ("mcp>=1.2", "\"mcp[cli]\"").</summary>
    private static bool NamesPackage(string line, string name)
    {
        var t = line.Trim().TrimStart('"', '\'', '[', ' ');
        return t.StartsWith(name, StringComparison.OrdinalIgnoreCase)
            && (t.Length == name.Length || !char.IsAsciiLetterOrDigit(t[name.Length]) && t[name.Length] is not '-' and not '_');
    }

    private static string? Read(string path)
    {
        try
        {
            var info = new FileInfo(path);
            return info.Exists && info.Length <= MaxManifestBytes ? File.ReadAllText(path) : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
