namespace ShadowMcp.Scanner.Tests.Fuzz;

/// <summary>
/// Every committed seed and every input that ever crashed a parser (Fuzz/crashes/&lt;target&gt;/) is run through its
/// target on every test run, and a bounded, seeded mutation run (bit flips, byte changes, inserts, deletes, cuts and
/// splices of the seeds) hunts for new faults. A failure names the input file to commit under Fuzz/crashes/.
/// </summary>
public class FuzzReplayTests
{
    private const int MutationsPerSeed = 150;

    private static string FuzzDirectory()
    {
        for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "ShadowMcp.Scanner.Tests", "Fuzz");
            if (Directory.Exists(Path.Combine(candidate, "corpus"))) return candidate;
        }

        throw new DirectoryNotFoundException("Fuzz/corpus not found above the test directory");
    }

    private static IEnumerable<string> Files(string kind, string target)
    {
        var dir = Path.Combine(FuzzDirectory(), kind, target);
        return Directory.Exists(dir) ? Directory.EnumerateFiles(dir).Order(StringComparer.Ordinal) : [];
    }

    public static IEnumerable<string> Targets() => FuzzTargets.All.Keys;

    [TestCaseSource(nameof(Targets))]
    public void SeedsAndCrashes_NeverThrow(string target)
    {
        var files = Files("corpus", target).Concat(Files("crashes", target)).ToList();
        Assert.That(files, Is.Not.Empty, $"no seeds for {target}");
        foreach (var file in files)
            Assert.DoesNotThrow(() => FuzzTargets.All[target](File.ReadAllBytes(file)), file);
    }

    /// <summary>Every input that crashed any target is also fed to every other target: faults travel.</summary>
    [Test]
    public void EveryCrash_ThroughEveryTarget_NeverThrows()
    {
        var crashes = Directory.EnumerateFiles(Path.Combine(FuzzDirectory(), "crashes"), "*", SearchOption.AllDirectories).ToList();
        Assert.That(crashes, Is.Not.Empty);
        foreach (var file in crashes)
            foreach (var (name, run) in FuzzTargets.All)
                Assert.DoesNotThrow(() => run(File.ReadAllBytes(file)), $"{name}: {file}");
    }

    [TestCaseSource(nameof(Targets))]
    public void BoundedMutationRun_NeverThrows(string target)
    {
        var seeds = Files("corpus", target).Select(File.ReadAllBytes).ToList();
        var random = new Random(HashOf(target));
        foreach (var seed in seeds)
        {
            for (int i = 0; i < MutationsPerSeed; i++)
            {
                var input = Mutator.Mutate(seed, seeds[random.Next(seeds.Count)], random);
                try
                {
                    FuzzTargets.All[target](input);
                }
                catch (Exception ex)
                {
                    var saved = Path.Combine(Path.GetTempPath(), $"shadowmcp-fuzz-{target}-{Guid.NewGuid():N}.bin");
                    File.WriteAllBytes(saved, input);
                    Assert.Fail($"{target} threw {ex.GetType().Name}: {ex.Message}; input saved to {saved} "
                        + $"(commit it under tests/ShadowMcp.Scanner.Tests/Fuzz/crashes/{target}/)\n{ex}");
                }
            }
        }
    }

    private static int HashOf(string text)
    {
        int hash = 17;
        foreach (char c in text) hash = hash * 31 + c;
        return hash;
    }
}
