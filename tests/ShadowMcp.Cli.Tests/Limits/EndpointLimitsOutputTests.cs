using System.Text.Json;

namespace ShadowMcp.Cli.Tests.Limits;

/// <summary>
/// What the classifier's bounded tables gave up is in the scan's output, not only in the log: an operator reading the
/// JSON (or the table) of a flooded capture sees how many hits were folded under a server's <c>/*</c> endpoint.
/// </summary>
[Category("Integration")]
public sealed class EndpointLimitsOutputTests
{
    // The default per-server path limit (ClassifierOptions.MaxPathsPerServer) and how far past it the flood goes.
    private const int PathLimit = 1_024;
    private const int Paths = PathLimit + 76;

    private string _dir = null!;

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("shadowmcp-limits-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    [Test]
    public void Scan_JsonOfAPathFlood_CountsTheFoldedHits()
    {
        var pcap = Path.Combine(_dir, "path-flood.pcap");
        PathFloodCapture.Write(pcap, "203.0.113.66", Paths);

        var r = CliProcess.Run("scan", pcap, "--format", "json", "--no-store");

        Assert.That(r.ExitCode, Is.Zero, r.Stderr);
        using var doc = JsonDocument.Parse(r.Stdout);
        var limits = doc.RootElement.GetProperty("stats").GetProperty("endpointLimits");
        var folded = doc.RootElement.GetProperty("findings").EnumerateArray()
            .Single(f => f.GetProperty("endpoint").GetProperty("path").GetString() == "/*");
        Assert.Multiple(() =>
        {
            Assert.That(limits.GetProperty("hitsFolded").GetInt64(), Is.GreaterThanOrEqualTo(Paths - PathLimit));
            Assert.That(limits.GetProperty("endpointsEvicted").GetInt64(), Is.Zero);
            Assert.That(limits.GetProperty("contextEndpointsEvicted").GetInt64(), Is.Zero);
            Assert.That(limits.GetProperty("addressNamesForgotten").GetInt64(), Is.Zero);
            Assert.That(limits.GetProperty("clientsDisplaced").GetInt64(), Is.Zero);
            Assert.That(folded.GetProperty("endpoint").GetProperty("address").GetString(), Is.EqualTo("203.0.113.66"));
        });
    }

    [Test]
    public void Scan_TableOfAPathFlood_PrintsTheEndpointLimitsLine()
    {
        var pcap = Path.Combine(_dir, "path-flood.pcap");
        PathFloodCapture.Write(pcap, "203.0.113.66", Paths);

        var r = CliProcess.Run("scan", pcap, "--no-store");

        Assert.That(r.ExitCode, Is.Zero, r.Stderr);
        Assert.That(r.Stdout, Does.Match(@"Endpoint limits: [1-9][0-9,]* hits folded past a server's path limit, 0 endpoints with evidence"));
    }

    [Test]
    public void Scan_JsonOfACaptureWithinTheLimits_HasZeroEndpointLimits()
    {
        var r = CliProcess.Run("scan", RepoPaths.Sample, "--format", "json", "--no-store");

        Assert.That(r.ExitCode, Is.Zero, r.Stderr);
        using var doc = JsonDocument.Parse(r.Stdout);
        var limits = doc.RootElement.GetProperty("stats").GetProperty("endpointLimits");
        Assert.That(limits.EnumerateObject().Select(p => (p.Name, p.Value.GetInt64())), Is.EqualTo(new[]
        {
            ("hitsFolded", 0L), ("endpointsEvicted", 0L), ("contextEndpointsEvicted", 0L), ("addressNamesForgotten", 0L),
            ("clientsDisplaced", 0L), ("namesDisplaced", 0L),
        }));
    }
}
