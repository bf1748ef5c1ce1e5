using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace ShadowMcp.Cli.Tests;

/// <summary>The `scan` command as pipelines and analysts use it: JSON contract, exit codes, bad input, the store.</summary>
[Category("Integration")]
public sealed class ScanCommandTests
{
    private string _dir = "";

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("shadowmcp-cli-").FullName;

    [TearDown]
    public void TearDown()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    private string Db => Path.Combine(_dir, "store.db");

    [Test]
    public void Scan_JsonFormat_WritesExactlyOneDocumentWithTheContractFields()
    {
        var r = CliProcess.Run("scan", RepoPaths.Sample, "--format", "json", "--db", Db);

        Assert.That(r.ExitCode, Is.Zero, r.Stderr);
        using var doc = JsonDocument.Parse(r.Stdout); // throws if stdout holds anything but one JSON document
        var findings = doc.RootElement.GetProperty("findings");
        Assert.That(findings.GetArrayLength(), Is.GreaterThan(0));
        var f = findings.EnumerateArray().First(x => x.GetProperty("endpoint").GetProperty("port").ValueKind == JsonValueKind.Number
                                                     && x.GetProperty("endpoint").GetProperty("port").GetInt32() == 18103);
        Assert.Multiple(() =>
        {
            Assert.That(f.GetProperty("endpoint").GetProperty("address").GetString(), Is.EqualTo("127.0.0.1"));
            Assert.That(f.GetProperty("endpoint").GetProperty("path").GetString(), Is.EqualTo("/mcp"));
            Assert.That(f.GetProperty("transport").GetString(), Is.EqualTo("streamable-http"));
            Assert.That(f.GetProperty("protocolVersions").EnumerateArray().Select(v => v.GetString()), Does.Contain("2025-06-18"));
            Assert.That(f.GetProperty("server").GetProperty("name").GetString(), Is.EqualTo("corpus-csharp-server"));
            Assert.That(f.GetProperty("verdict").GetString(), Is.EqualTo("shadow"));
            Assert.That(f.GetProperty("confidence").GetDouble(), Is.InRange(0.8, 1.0));
            Assert.That(f.GetProperty("clients").EnumerateArray().Select(v => v.GetString()), Does.Contain("127.0.0.1"));
            Assert.That(f.GetProperty("flows").GetInt32(), Is.GreaterThan(0));
            Assert.That(f.GetProperty("firstSeen").GetDateTime(), Is.LessThanOrEqualTo(f.GetProperty("lastSeen").GetDateTime()));
            Assert.That(f.GetProperty("evidence").EnumerateArray().Select(v => v.GetProperty("rule").GetString()), Does.Contain("mcp-initialize-request"));
            var stats = doc.RootElement.GetProperty("stats");
            Assert.That(stats.GetProperty("files").GetInt64(), Is.EqualTo(1));
            Assert.That(stats.GetProperty("packets").GetInt64(), Is.GreaterThan(0));
            Assert.That(stats.GetProperty("malformed").GetInt64(), Is.Zero);
        });
    }

    [Test]
    public void Scan_FailOnShadow_ExitsOneWhenShadowFoundAndZeroOnCleanTraffic()
    {
        var dirty = CliProcess.Run("scan", RepoPaths.Sample, "--fail-on", "shadow", "--no-store");
        var clean = CliProcess.Run("scan", RepoPaths.CorpusPcap("lookalike-lsp.pcap"), "--fail-on", "shadow", "--no-store");

        Assert.That(dirty.ExitCode, Is.EqualTo(1), dirty.Stderr);
        Assert.That(clean.ExitCode, Is.Zero, clean.Stderr);
        Assert.That(clean.Stdout, Does.Contain("No MCP traffic found."));
    }

    [Test]
    public void Scan_MistypedOption_IsAUsageError_NotAFailOnMatch()
    {
        // A pipeline running `scan --fail-on shadow` must not read a typo as "shadow MCP found" (exit 1).
        var r = CliProcess.Run("scan", RepoPaths.Sample, "--fail-on", "shadw", "--no-store");

        Assert.That(r.ExitCode, Is.EqualTo(64), r.Stderr);
        Assert.That(r.Stderr + r.Stdout, Does.Contain("'shadw' not recognized"));
    }

    [Test]
    public void Scan_TruncatedCapture_NamesFileAndOffsetAndKeepsEarlierFindings()
    {
        var source = File.ReadAllBytes(RepoPaths.CorpusPcap("cs-stateful-2025-06-18.pcap"));
        var cut = Path.Combine(_dir, "cut.pcap");
        File.WriteAllBytes(cut, source.AsSpan(0, source.Length - 37).ToArray());

        var r = CliProcess.Run("scan", cut, "--format", "json", "--db", Db);

        Assert.That(r.ExitCode, Is.EqualTo(2));
        Assert.That(r.Stderr, Does.Contain("cut.pcap").And.Contain("byte"));
        using var doc = JsonDocument.Parse(r.Stdout);
        Assert.That(doc.RootElement.GetProperty("findings").EnumerateArray().Any(f => f.GetProperty("verdict").GetString() == "shadow"), Is.True,
            "the session before the cut must still be reported");
        var error = doc.RootElement.GetProperty("errors")[0];
        Assert.That(error.GetProperty("offset").GetInt64(), Is.InRange(24, source.Length));
    }

    [Test]
    public void Scan_NotACaptureFile_FailsWithClearError()
    {
        var bogus = Path.Combine(_dir, "notes.txt");
        File.WriteAllText(bogus, "these are meeting notes, not packets\n");

        var r = CliProcess.Run("scan", bogus, "--no-store");

        Assert.That(r.ExitCode, Is.EqualTo(2));
        Assert.That(r.Stderr, Does.Contain("notes.txt").And.Contain("not a pcap or pcapng"));
    }

    [Test]
    public void Scan_MalformedRuleFile_StopsBeforeScanningWithLintError()
    {
        var rules = Path.Combine(_dir, "rules");
        Directory.CreateDirectory(rules);
        File.WriteAllText(Path.Combine(rules, "broken.yaml"), "id: broken-rule\ntitle: Broken\nlevel: extreme\nobservation: jsonrpc.request\ndetection:\n  sel:\n    method: initialize\n  condition: sel and nope\n");

        var r = CliProcess.Run("scan", RepoPaths.Sample, "--rules", rules, "--db", Db);

        Assert.That(r.ExitCode, Is.EqualTo(3));
        Assert.That(r.Stderr, Does.Contain("broken.yaml:3:"));
        Assert.That(r.Stderr, Does.Contain("nothing was scanned"));
        Assert.That(File.Exists(Db), Is.False, "no store work may happen before the rules are valid");
    }

    [Test]
    public void Scan_SameFileTwice_StoreHoldsNoDuplicates()
    {
        var first = CliProcess.Run("scan", RepoPaths.Sample, "--db", Db, "--format", "json");
        var second = CliProcess.Run("scan", RepoPaths.Sample, "--db", Db, "--format", "json");
        Assert.That(first.ExitCode, Is.Zero, first.Stderr);
        Assert.That(second.ExitCode, Is.Zero, second.Stderr);

        using var conn = new SqliteConnection($"Data Source={Db}");
        conn.Open();
        long Count(string sql) { using var c = conn.CreateCommand(); c.CommandText = sql; return (long)c.ExecuteScalar()!; }
        var expected = JsonDocument.Parse(first.Stdout).RootElement.GetProperty("findings").GetArrayLength();
        Assert.That(Count("select count(*) from findings"), Is.EqualTo(expected));
        Assert.That(Count("select count(*) from scanned_files"), Is.EqualTo(1));
        Assert.That(Count("select count(*) from (select EndpointKey from findings group by EndpointKey having count(*) > 1)"), Is.Zero);
        Assert.That(Count("select max(Flows) from findings"), Is.EqualTo(
            JsonDocument.Parse(second.Stdout).RootElement.GetProperty("findings").EnumerateArray().Max(f => f.GetProperty("flows").GetInt32())));
    }

    [Test]
    public void Scan_SanctionedListInConfig_MarksThatEndpointSanctioned()
    {
        var config = Path.Combine(_dir, "shadowmcp.json");
        File.WriteAllText(config, """{ "sanctioned": [ { "address": "127.0.0.1", "port": 18103, "pathPrefix": "/mcp", "reason": "approved tickets server" } ] }""");

        var r = CliProcess.Run("scan", RepoPaths.CorpusPcap("cs-stateful-2025-06-18.pcap"), "--config", config, "--no-store", "--format", "json");

        Assert.That(r.ExitCode, Is.Zero, r.Stderr);
        var f = JsonDocument.Parse(r.Stdout).RootElement.GetProperty("findings")[0];
        Assert.That(f.GetProperty("verdict").GetString(), Is.EqualTo("sanctioned"));
    }

    [Test]
    public void Scan_BadConfigFile_NamesFileAndLine()
    {
        var config = Path.Combine(_dir, "shadowmcp.json");
        File.WriteAllText(config, "{\n  \"sanctioned\": [\n    { \"host\": \"mcp.corp.example\", }\n    oops\n  ]\n}\n");

        var r = CliProcess.Run("scan", RepoPaths.Sample, "--config", config, "--no-store");

        Assert.That(r.ExitCode, Is.EqualTo(64));
        Assert.That(r.Stderr, Does.Contain("shadowmcp.json:4:"));
    }

    [Test]
    public void RulesLintAndTest_ShippedRules_AreClean()
    {
        var lint = CliProcess.Run("rules", "lint");
        var test = CliProcess.Run("rules", "test");

        Assert.That(lint.ExitCode, Is.Zero, lint.Stdout + lint.Stderr);
        Assert.That(test.ExitCode, Is.Zero, test.Stdout);
        Assert.That(test.Stdout, Does.Match(@"\d+ passed, 0 failed"));
    }
}
