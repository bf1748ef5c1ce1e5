namespace ShadowMcp.Scanner.Tests.Capture;

/// <summary>Finds the committed captures in tests/ShadowMcp.Scanner.Tests/data from the test output folder.</summary>
internal static class TestCaptures
{
    public static string Path(string name)
    {
        for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = System.IO.Path.Combine(dir.FullName, "tests", "ShadowMcp.Scanner.Tests", "data", name);
            if (File.Exists(candidate)) return candidate;
            candidate = System.IO.Path.Combine(dir.FullName, "data", name);
            if (File.Exists(candidate) && File.Exists(System.IO.Path.Combine(dir.FullName, "ShadowMcp.Scanner.Tests.csproj"))) return candidate;
        }

        throw new FileNotFoundException($"test capture {name} not found above {TestContext.CurrentContext.TestDirectory}");
    }
}
