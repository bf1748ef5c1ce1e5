using System.Text.RegularExpressions;
using ShadowMcp.Tests;

namespace ShadowMcp.Cli.Tests;

/// <summary>
/// Keeps the fast lane honest without relying on memory: every place in tests/ that starts a process must go through
/// <see cref="ExternalTools.RequireIntegrationLane"/> (directly or via ExternalTools.Require), which fails a test
/// outside the Integration category at run time.
/// </summary>
public sealed partial class TestLaneGuardTests
{
    [Test]
    public void EveryTestFileThatStartsAProcessChecksTheIntegrationLane()
    {
        var offenders = new List<string>();
        foreach (var file in Directory.EnumerateFiles(Path.Combine(RepoPaths.Root, "tests"), "*.cs", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(RepoPaths.Root, file);
            if (IsBuildOutput(relative)) continue;
            var text = File.ReadAllText(file);
            if (!StartsProcess().IsMatch(text)) continue;
            if (!text.Contains("ExternalTools.Require", StringComparison.Ordinal)) offenders.Add(relative);
        }

        Assert.That(offenders, Is.Empty,
            "these files start processes without ExternalTools.RequireIntegrationLane/Require before doing so");
    }

    [Test]
    public void TheGuardItselfFailsAFastLaneTest()
    {
        // This test is in the fast lane, so the guard must refuse it; the message names the fix.
        var failure = Assert.Throws<AssertionException>(() => ExternalTools.RequireIntegrationLane("a test program"));
        Assert.That(failure!.Message, Does.Contain("[Category(\"Integration\")]").And.Contain("a test program"));
    }

    [Test]
    [Category(ExternalTools.IntegrationCategory)]
    public void TheGuardLetsAnIntegrationTestThrough() =>
        Assert.DoesNotThrow(() => ExternalTools.RequireIntegrationLane("a test program"));

    private static bool IsBuildOutput(string relative) =>
        relative.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj" or "node_modules");

    [GeneratedRegex(@"\bProcess\.Start\(|new ProcessStartInfo\(|new Process\(\)")]
    private static partial Regex StartsProcess();
}
