namespace ShadowMcp.Cli.Tests.Threads;

/// <summary><c>--threads</c> on the command line: a count below one is a usage error that says what to do.</summary>
[Category("Integration")]
public sealed class ThreadsOptionTests
{
    [TestCase("0")]
    [TestCase("-2")]
    public void Scan_ThreadsBelowOne_IsAUsageErrorNamingTheOption(string threads)
    {
        var r = CliProcess.Run("scan", RepoPaths.Sample, "--no-store", "--threads", threads);

        Assert.That(r.ExitCode, Is.EqualTo(64), r.Stderr);
        Assert.That(r.Stderr, Does.Contain("--threads must be 1 or more").And.Contain($"got {threads}"));
    }

    [Test]
    public void Scan_ThreadsTwo_PrintsTheSameJsonAsOne()
    {
        var one = CliProcess.Run("scan", RepoPaths.Sample, "--no-store", "--format", "json", "--threads", "1");
        var two = CliProcess.Run("scan", RepoPaths.Sample, "--no-store", "--format", "json", "--threads", "2");

        Assert.That((one.ExitCode, two.ExitCode), Is.EqualTo((0, 0)), one.Stderr + two.Stderr);
        Assert.That(two.Stdout, Is.EqualTo(one.Stdout));
    }
}
