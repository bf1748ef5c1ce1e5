namespace ShadowMcp.Cli.Tests;

/// <summary>Locates the checked-in corpus and sample relative to the repository root.</summary>
internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string Corpus => Path.Combine(Root, "tests", "corpus");
    public static string CorpusPcap(string name) => Path.Combine(Corpus, "pcaps", name);
    public static string Sample => Path.Combine(Root, "samples", "shadow-mcp-sample.pcap");
    public static string Rules => Path.Combine(Root, "rules");

    /// <summary>The built CLI next to the tests (the project reference copies it here).</summary>
    public static string CliDll => Path.Combine(AppContext.BaseDirectory, "shadowmcp.dll");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "ShadowMcp.sln"))) return dir.FullName;
        throw new InvalidOperationException("cannot find the repository root (ShadowMcp.sln) above " + AppContext.BaseDirectory);
    }
}
