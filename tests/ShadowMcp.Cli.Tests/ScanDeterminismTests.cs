using System.Text.Json;

namespace ShadowMcp.Cli.Tests;

/// <summary>
/// A scan's answer depends on the captures, not on how they were named on the command line: the order of the files,
/// a file given twice, and an error line that names its offset once.
/// </summary>
[Category("Integration")]
public sealed class ScanDeterminismTests
{
    private string _dir = null!;

    [SetUp]
    public void CreateDir() => _dir = Directory.CreateTempSubdirectory("shadowmcp-order-").FullName;

    [TearDown]
    public void DeleteDir()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    private static string[] AllCorpusPcaps() =>
        [.. Directory.EnumerateFiles(Path.Combine(RepoPaths.Corpus, "pcaps")).Order(StringComparer.Ordinal)];

    private static JsonElement Json(CliProcess.Result r)
    {
        Assert.That(r.ExitCode, Is.Zero, r.Stderr);
        return JsonDocument.Parse(r.Stdout).RootElement.Clone();
    }

    private static string FindingsText(JsonElement root) => root.GetProperty("findings").GetRawText();

    [Test]
    public void Scan_FilesForwardAndReversed_GiveTheSameFindingsAndStore()
    {
        var files = AllCorpusPcaps();
        string dbForward = Path.Combine(_dir, "forward.db"), dbReverse = Path.Combine(_dir, "reverse.db");

        var forward = Json(CliProcess.Run(["scan", .. files, "--format", "json", "--db", dbForward]));
        var reverse = Json(CliProcess.Run(["scan", .. files.Reverse(), "--format", "json", "--db", dbReverse]));

        Assert.That(FindingsText(reverse), Is.EqualTo(FindingsText(forward)));
        Assert.That(Stored(dbReverse), Is.EqualTo(Stored(dbForward)));
    }

    /// <summary>What the store merged, one line per finding.</summary>
    private static List<string> Stored(string db)
    {
        using var conn = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={db}");
        conn.Open();
        using var cmd = conn.CreateCommand();
        cmd.CommandText = "select EndpointKey, Transport, Verdict, VerdictReason, Confidence, ServerName, Flows, HostsJson, "
            + "ProtocolVersionsJson, ClientsJson, ToolsJson from findings order by EndpointKey";
        using var reader = cmd.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read())
            rows.Add(string.Join("|", Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? "null" : reader.GetValue(i).ToString())));
        return rows;
    }

    [Test]
    public void Scan_SameFileTwice_CountsItOnce()
    {
        var file = RepoPaths.CorpusPcap("cs-stateful-2025-06-18.pcap");
        var relative = Path.GetRelativePath(Environment.CurrentDirectory, file);

        var once = Json(CliProcess.Run("scan", file, "--format", "json", "--no-store"));
        var twice = Json(CliProcess.Run("scan", file, relative, "--format", "json", "--no-store"));

        Assert.That(twice.GetProperty("stats").GetRawText(), Is.EqualTo(once.GetProperty("stats").GetRawText()));
        Assert.That(FindingsText(twice), Is.EqualTo(FindingsText(once)));
    }

    [Test]
    public void Scan_TruncatedCapture_ErrorLineNamesTheOffsetOnce()
    {
        var source = File.ReadAllBytes(RepoPaths.CorpusPcap("cs-stateful-2025-06-18.pcap"));
        var cut = Path.Combine(_dir, "cut.pcap");
        File.WriteAllBytes(cut, source.AsSpan(0, source.Length - 37).ToArray());

        var r = CliProcess.Run("scan", cut, "--no-store");

        var line = r.Stderr.Split('\n').Single(l => l.StartsWith("error: ", StringComparison.Ordinal));
        Assert.That(line.Split("at byte ").Length - 1, Is.EqualTo(1), line);
    }
}
