namespace ShadowMcp.Classifier;

/// <summary>Finds the shipped rules directory: next to the executable, or in the source tree above a directory.</summary>
public static class RulesLocator
{
    public const string DirectoryName = "rules";
    private const string SolutionFile = "ShadowMcp.sln";

    /// <summary>
    /// <c>rules/</c> beside the running executable (the CLI copies it there), else the first directory at or
    /// above <paramref name="startDirectory"/> (default: the current directory) holding both rules/ and
    /// ShadowMcp.sln. Null when neither exists.
    /// </summary>
    public static string? Find(string? startDirectory = null)
    {
        var beside = Path.Combine(AppContext.BaseDirectory, DirectoryName);
        if (HasRuleFiles(beside)) return beside;
        return FindInSourceTree(startDirectory ?? Directory.GetCurrentDirectory());
    }

    /// <summary>The rules/ of the source tree at or above <paramref name="startDirectory"/>, or null.</summary>
    public static string? FindInSourceTree(string startDirectory)
    {
        for (var dir = new DirectoryInfo(startDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, DirectoryName);
            if (Directory.Exists(candidate) && File.Exists(Path.Combine(dir.FullName, SolutionFile))) return candidate;
        }
        return null;
    }

    /// <summary>Like <see cref="Find"/> but throws a clear error when no rules directory exists.</summary>
    public static string Require(string? startDirectory = null) =>
        Find(startDirectory) ?? throw new DirectoryNotFoundException(
            $"no {DirectoryName}/ directory next to the executable ({AppContext.BaseDirectory}) nor in a ShadowMcp source tree above {startDirectory ?? Directory.GetCurrentDirectory()}; pass --rules DIR");

    private static bool HasRuleFiles(string directory) =>
        Directory.Exists(directory) && Directory.EnumerateFiles(directory, "*.y*ml", SearchOption.AllDirectories).Any();
}
