using System.Text.Json;

namespace ShadowMcp.Cli.Tests.Sanctioned;

/// <summary>
/// `scan` with an address, port and path prefix sanctioned (a portal upstream behind a reverse proxy that also serves
/// other backends): an MCP session on a path the proxy routes elsewhere (dot segments, encoded ones, a look-alike
/// segment) is a shadow server on that address, not the sanctioned one. Before, every path that began with the
/// prefix's characters was sanctioned, so such a server's findings were silenced.
/// </summary>
[Category("Integration")]
public sealed class SanctionedPathPrefixScanTests
{
    private const string Server = "10.66.0.9";
    private string _dir = "";

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("shadowmcp-prefix-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    private JsonElement ScanOne(string target)
    {
        var pcap = Path.Combine(_dir, "session.pcap");
        FrontedSessionCapture.Write(pcap, Server, "mcp.corp.example", null, target: target);
        var config = Path.Combine(_dir, "shadowmcp.json");
        File.WriteAllText(config, $$"""{ "sanctioned": [ { "address": "{{Server}}", "port": {{FrontedSessionCapture.Port}}, "pathPrefix": "/mcp", "reason": "portal upstream" } ] }""");

        var r = CliProcess.Run("scan", pcap, "--config", config, "--no-store", "--format", "json");

        Assert.That(r.ExitCode, Is.Zero, r.Stderr);
        return JsonDocument.Parse(r.Stdout).RootElement.GetProperty("findings").EnumerateArray().Single();
    }

    [TestCase("/mcp")]
    [TestCase("/mcp/github")]
    public void Scan_SessionUnderThePrefix_Sanctioned(string target) =>
        Assert.That(ScanOne(target).GetProperty("verdict").GetString(), Is.EqualTo("sanctioned"));

    [TestCase("/mcp/../shadow")]
    [TestCase("/mcp/%2e%2e/shadow")]
    [TestCase("/mcp/..;/shadow")]
    [TestCase("/mcp-shadow")]
    public void Scan_SessionOnAPathTheProxyRoutesElsewhere_NotSanctioned(string target)
    {
        var f = ScanOne(target);

        Assert.That(f.GetProperty("verdict").GetString(), Is.AnyOf("shadow", "suspected"));
        Assert.That(f.GetProperty("endpoint").GetProperty("path").GetString(), Is.EqualTo(target));
    }

    [Test]
    public void Scan_PrefixThatNoPlainPathIsUnder_ExitsWithTheFieldNamed()
    {
        var config = Path.Combine(_dir, "shadowmcp.json");
        File.WriteAllText(config, """{ "sanctioned": [ { "address": "10.0.0.1", "pathPrefix": "mcp/../x", "reason": "typo" } ] }""");

        var r = CliProcess.Run("scan", RepoPaths.Sample, "--config", config, "--no-store", "--format", "json");

        Assert.That(r.ExitCode, Is.EqualTo(64));
        Assert.That(r.Stderr, Does.Contain("shadowmcp.json: sanctioned[0]: pathPrefix 'mcp/../x' must be a plain path starting with '/'"));
    }
}
