namespace ShadowMcp.Portal.Tests.Fixtures;

/// <summary>Per-test folders under one folder per test run, removed by <see cref="TempDirCleanup"/>.</summary>
internal static class TempDir
{
    public static readonly string RunRoot = Path.Combine(Path.GetTempPath(), "shadowmcp-portal-tests", Guid.NewGuid().ToString("N"));

    public static string Create()
    {
        var dir = Path.Combine(RunRoot, Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }
}
