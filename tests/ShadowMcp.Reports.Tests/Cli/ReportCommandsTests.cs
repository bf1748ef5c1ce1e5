using System.CommandLine;
using ShadowMcp.Reports.Cli;
using ShadowMcp.Core;

namespace ShadowMcp.Reports.Tests.Cli;

public sealed class ReportCommandsTests
{
    private static async Task<(int Code, string Out, string Err)> Run(params string[] args)
    {
        var root = new RootCommand { ReportCommands.Create() };
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await root.Parse(["report", .. args]).InvokeAsync(new InvocationConfiguration { Output = stdout, Error = stderr });
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Test]
    public async Task Report_AllFormats_WritesFourFiles()
    {
        using var store = SeededStore.Create();
        var outDir = Path.Combine(store.Directory, "out");

        var (code, stdout, stderr) = await Run("--week", "2026-W47", "--format", "all", "--out", outDir, "--db", store.DbPath, "--tz", "Europe/Berlin");

        Assert.That(code, Is.Zero, stderr);
        Assert.That(Directory.GetFiles(outDir).Select(Path.GetFileName).Order(),
            Is.EqualTo(new[] { "report-2026-W47.csv", "report-2026-W47.html", "report-2026-W47.json", "report-2026-W47.md" }));
        Assert.That(stdout, Does.Contain("report-2026-W47.html"));
    }

    [Test]
    public async Task Report_RepeatedFormatOption_WritesOnlyThose()
    {
        using var store = SeededStore.Create();
        var outDir = Path.Combine(store.Directory, "out");

        var (code, _, _) = await Run("--week", "2026-W47", "--format", "md", "--format", "csv", "--out", outDir, "--db", store.DbPath);

        Assert.That(code, Is.Zero);
        Assert.That(Directory.GetFiles(outDir).Select(Path.GetExtension).Order(), Is.EqualTo(new[] { ".csv", ".md" }));
    }

    [TestCase(new[] { "--week", "2026-W60" }, "2026-W60")]
    [TestCase(new[] { "--week", "2026-W47", "--format", "pdf" }, "pdf")]
    [TestCase(new[] { "--week", "2026-W47", "--tz", "Nowhere/City" }, "Nowhere/City")]
    [TestCase(new[] { "--from", "2026-11-01" }, "--to")]
    public async Task Report_BadInput_ExitsTwoWithAClearError(string[] args, string named)
    {
        using var store = SeededStore.Create();

        var (code, _, stderr) = await Run([.. args, "--db", store.DbPath, "--out", Path.Combine(store.Directory, "out")]);

        Assert.That(code, Is.EqualTo((int)ExitCode.InvalidInput));
        Assert.That(stderr, Does.StartWith("error: ").And.Contain(named));
        Assert.That(Directory.Exists(Path.Combine(store.Directory, "out")), Is.False);
    }
}
