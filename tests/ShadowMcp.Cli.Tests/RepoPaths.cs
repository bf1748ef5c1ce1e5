namespace ShadowMcp.Cli.Tests;

/// <summary>Locates the checked-in corpus and sample relative to the repository root.</summary>
internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string Corpus => Path.Combine(Root, "tests", "corpus");
    public static string CorpusPcap(string name) => Path.Combine(Corpus, "pcaps", name);
    public static string Sample => Path.Combine(Root, "samples", "shadow-mcp-sample.pcap");
    public static string Rules => Path.Combine(Root, "rules");

    /// <summary>
    /// The CLI in its own build output (built by the project reference), run with its own deps and runtime config:
    /// the copy next to the tests would resolve against the test project's dependency set instead.
    /// </summary>
    public static string CliDll
    {
        get
        {
            var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name; // bin/<Configuration>/net10.0/
            var path = Path.Combine(Root, "Cli", "bin", configuration, "net10.0", "shadowmcp.dll");
            return File.Exists(path) ? path : throw new FileNotFoundException("the CLI is not built", path);
        }
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "ShadowMcp.sln"))) return dir.FullName;
        throw new InvalidOperationException("cannot find the repository root (ShadowMcp.sln) above " + AppContext.BaseDirectory);
    }
}
