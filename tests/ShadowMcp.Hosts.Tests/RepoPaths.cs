namespace ShadowMcp.Hosts.Tests;

/// <summary>Paths in the repository: the built CLI, the shipped rules, the TypeScript SDK fixture server.</summary>
internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string Rules => Path.Combine(Root, "rules");

    /// <summary>The official TypeScript SDK server the portal tests use (needs `npm ci` in its folder).</summary>
    public static string NodeServer => Path.Combine(Root, "tests", "ShadowMcp.Portal.Tests", "node", "server.mjs");

    /// <summary>The CLI in its own build output, run with its own deps and runtime config.</summary>
    public static string CliDll
    {
        get
        {
            var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
            var path = Path.Combine(Root, "Cli", "bin", configuration, "net10.0", "shadowmcp.dll");
            return File.Exists(path) ? path : throw new FileNotFoundException("the CLI is not built", path);
        }
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "ShadowMcp.sln"))) return dir.FullName;
        throw new InvalidOperationException("cannot find the repository root above " + AppContext.BaseDirectory);
    }
}
