using System.Text.Json;
using ShadowMcp.Core;

namespace ShadowMcp.Cli.Tests;

/// <summary>`shadowmcp export --ocsf`: findings of a real scan as OCSF 1.x Detection Finding JSON lines.</summary>
[Category("Integration")]
public sealed class ExportCommandTests
{
    private string _dir = null!;
    private string Db => Path.Combine(_dir, "export.db");

    [SetUp]
    public void SetUp()
    {
        _dir = Directory.CreateTempSubdirectory("shadowmcp-export-").FullName;
        var scan = CliProcess.Run("scan", RepoPaths.CorpusPcap("cs-stateful-2025-06-18.pcap"), "--db", Db);
        Assert.That(scan.ExitCode, Is.Zero, scan.Stderr);
    }

    [TearDown]
    public void TearDown()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    [Test]
    public void Ocsf_ToStdout_EveryLineIsADetectionFindingWithTheRequiredFields()
    {
        var r = CliProcess.Run("export", "--ocsf", "--db", Db);
        Assert.That(r.ExitCode, Is.Zero, r.Stderr);
        var lines = r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines, Is.Not.Empty);
        var uids = new HashSet<string>();
        foreach (var line in lines)
        {
            using var doc = JsonDocument.Parse(line);
            var e = doc.RootElement;
            // OCSF 1.x base event and Finding class: the attributes the schema marks required.
            Assert.That(e.GetProperty("class_uid").GetInt32(), Is.EqualTo(2004), line);
            Assert.That(e.GetProperty("category_uid").GetInt32(), Is.EqualTo(2));
            var activity = e.GetProperty("activity_id").GetInt32();
            Assert.That(activity, Is.AnyOf(1, 2, 3));
            Assert.That(e.GetProperty("type_uid").GetInt32(), Is.EqualTo(2004 * 100 + activity));
            Assert.That(e.GetProperty("severity_id").GetInt32(), Is.InRange(0, 6));
            Assert.That(e.GetProperty("time").GetInt64(), Is.GreaterThan(0));
            var metadata = e.GetProperty("metadata");
            Assert.That(metadata.GetProperty("version").GetString(), Does.StartWith("1."));
            Assert.That(metadata.GetProperty("product").GetProperty("vendor_name").GetString(), Is.Not.Empty);
            var info = e.GetProperty("finding_info");
            Assert.That(uids.Add(info.GetProperty("uid").GetString()!), Is.True, "finding uids are unique");
            Assert.That(info.GetProperty("title").GetString(), Is.Not.Empty);
        }
        var shadow = lines.Select(l => JsonDocument.Parse(l).RootElement)
            .Single(e => e.GetProperty("unmapped").GetProperty("verdict").GetString() == "shadow"
                && e.GetProperty("evidences")[0].GetProperty("dst_endpoint").GetProperty("port").GetInt32() == 18103);
        Assert.That(shadow.GetProperty("is_alert").GetBoolean(), Is.True);
        Assert.That(shadow.GetProperty("finding_info").GetProperty("analytic").GetProperty("uid").GetString(), Is.Not.Empty);
    }

    [Test]
    public void Ocsf_ToFile_AppendsLinesAndShadowFilterKeepsOnlyShadow()
    {
        var file = Path.Combine(_dir, "siem.jsonl");
        Assert.That(CliProcess.Run("export", "--ocsf", "--verdict", "shadow", "--db", Db, "--out", file).ExitCode, Is.Zero);
        var first = File.ReadAllLines(file);
        Assert.That(CliProcess.Run("export", "--ocsf", "--verdict", "shadow", "--db", Db, "--out", file).ExitCode, Is.Zero);
        var both = File.ReadAllLines(file);

        Assert.That(first, Is.Not.Empty);
        Assert.That(both, Has.Length.EqualTo(first.Length * 2), "a second export appends");
        Assert.That(both.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("unmapped").GetProperty("verdict").GetString()),
            Has.All.EqualTo("shadow"));
    }

    [Test]
    public void Cursor_SecondRunAppendsNothing_AndFollowWithoutCursorIsAUsageError()
    {
        var file = Path.Combine(_dir, "siem.jsonl");
        var cursor = Path.Combine(_dir, "siem.cursor.json");
        var first = CliProcess.Run("export", "--ocsf", "--db", Db, "--out", file, "--cursor", cursor);
        Assert.That(first.ExitCode, Is.Zero, first.Stderr);
        var lines = File.ReadAllLines(file).Length;
        var second = CliProcess.Run("export", "--ocsf", "--db", Db, "--out", file, "--cursor", cursor);
        Assert.That(second.ExitCode, Is.Zero, second.Stderr);

        Assert.That(lines, Is.GreaterThan(0));
        Assert.That(File.ReadAllLines(file), Has.Length.EqualTo(lines), "everything was already delivered");
        var follow = CliProcess.Run("export", "--ocsf", "--db", Db, "--follow");
        Assert.That(follow.ExitCode, Is.EqualTo((int)ExitCode.Usage));
        Assert.That(follow.Stderr, Does.Contain("--cursor"));
    }

    [Test]
    public void Cursor_OfAnotherSink_IsRefused()
    {
        var cursor = Path.Combine(_dir, "siem.cursor.json");
        Assert.That(CliProcess.Run("export", "--ocsf", "--db", Db, "--out", Path.Combine(_dir, "a.jsonl"), "--cursor", cursor).ExitCode, Is.Zero);

        var other = CliProcess.Run("export", "--ocsf", "--db", Db, "--out", Path.Combine(_dir, "b.jsonl"), "--cursor", cursor);

        Assert.That(other.ExitCode, Is.EqualTo((int)ExitCode.Usage));
        Assert.That(other.Stderr, Does.Contain("one cursor file per sink"));
        Assert.That(File.Exists(Path.Combine(_dir, "b.jsonl")) ? File.ReadAllText(Path.Combine(_dir, "b.jsonl")) : "", Is.Empty);
    }

    [Test]
    public void HecWithoutAToken_AndAnUnknownScheme_AreUsageErrors()
    {
        var noToken = CliProcess.Run("export", "--ocsf", "--db", Db, "--to", "https://127.0.0.1:8088");
        var scheme = CliProcess.Run("export", "--ocsf", "--db", Db, "--to", "ftp://127.0.0.1:21");

        Assert.That(noToken.ExitCode, Is.EqualTo((int)ExitCode.Usage));
        Assert.That(noToken.Stderr, Does.Contain("SHADOWMCP_HEC_TOKEN").And.Contain("--hec-token-file"));
        Assert.That(scheme.ExitCode, Is.EqualTo((int)ExitCode.Usage));
        Assert.That(scheme.Stderr, Does.Contain("unknown scheme 'ftp'"));
    }

    [Test]
    public void Export_WithoutAFormat_IsAUsageError()
    {
        var r = CliProcess.Run("export", "--db", Db);
        Assert.That(r.ExitCode, Is.EqualTo((int)ExitCode.Usage));
        Assert.That(r.Stderr, Does.Contain("--ocsf"));
    }
}
