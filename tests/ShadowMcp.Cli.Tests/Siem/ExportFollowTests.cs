using System.Diagnostics;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using ShadowMcp.Tests;

namespace ShadowMcp.Cli.Tests.Siem;

/// <summary>
/// `shadowmcp export --ocsf --follow` as a process, feeding the HEC stand-in: what is added to the store while it
/// runs is delivered at the next poll, a changed finding as an Update; after a kill -9 a fresh run resumes from the
/// cursor and sends nothing twice. The token comes from a file: it is on no command line and in no output.
/// </summary>
[Category(ExternalTools.IntegrationCategory)]
public sealed class ExportFollowTests
{
    private const string Token = "99999999-8888-7777-6666-555555555555"; // DevSkim: ignore DS173237 (a test token for the loopback stand-in)
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);
    private string _dir = null!;
    private string Db => Path.Combine(_dir, "follow.db");

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("shadowmcp-follow-").FullName;

    [TearDown]
    public void TearDown()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    private static async Task WaitForAsync(HecStandIn hec, int events, Func<string> diagnostics)
    {
        var until = DateTime.UtcNow + Deadline;
        while (hec.Events.Count < events)
        {
            if (DateTime.UtcNow > until) Assert.Fail($"the collector has {hec.Events.Count} of {events} events: {diagnostics()}");
            await Task.Delay(100);
        }
    }

    [Test]
    public async Task Follow_DeliversWhatIsAdded_AndAfterAKillResumesFromTheCursor()
    {
        await using var hec = await HecStandIn.StartAsync(Token);
        var tokenFile = Path.Combine(_dir, "hec.token");
        File.WriteAllText(tokenFile, Token + "\n");
        var cursor = Path.Combine(_dir, "hec.cursor.json");
        await SiemSeed.AuditAsync(Db, 3);
        SiemSeed.Scan(Db, "a.pcap", SiemSeed.Day, SiemSeed.Shadow(1, SiemSeed.Day));
        string[] args = ["export", "--ocsf", "--db", Db, "--to", hec.Url.ToString(), "--hec-token-file", tokenFile, "--cursor", cursor, "--batch", "2"];

        ExternalTools.RequireIntegrationLane("dotnet");
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in (string[])[RepoPaths.CliDll, .. args, "--follow", "--interval", "1", "--verbose"]) psi.ArgumentList.Add(a);
        var output = new System.Text.StringBuilder();
        using var follow = Process.Start(psi)!;
        follow.OutputDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        follow.ErrorDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        follow.BeginOutputReadLine();
        follow.BeginErrorReadLine();
        string Output() { lock (output) return output.ToString(); }
        try
        {
            await WaitForAsync(hec, 4, Output);
            await SiemSeed.AuditAsync(Db, 2);
            SiemSeed.Scan(Db, "b.pcap", SiemSeed.Day.AddHours(3), SiemSeed.Shadow(1, SiemSeed.Day.AddHours(3)));
            await WaitForAsync(hec, 7, Output);
        }
        finally
        {
            follow.Kill(entireProcessTree: true);
            await follow.WaitForExitAsync();
        }

        var resumed = CliProcess.Run(args);
        Assert.That(resumed.ExitCode, Is.Zero, resumed.Stderr);

        var events = hec.Events.ToArray();
        Assert.That(events, Has.Length.EqualTo(7), "nothing sent twice after the kill");
        var keys = events.Select(e => (Uid: e.GetProperty("metadata").GetProperty("uid").GetString(), Activity: e.GetProperty("activity_id").GetInt32())).ToList();
        Assert.That(keys, Is.Unique);
        Assert.That(keys.Count(k => k.Uid!.StartsWith("shadowmcp:audit:", StringComparison.Ordinal)), Is.EqualTo(5));
        Assert.That(keys.Where(k => k.Uid!.StartsWith("shadowmcp:finding:", StringComparison.Ordinal)).Select(k => k.Activity), Is.EqualTo(new[] { 1, 2 }));
        Assert.That(Output() + resumed.Stdout + resumed.Stderr, Does.Not.Contain(Token));
        Assert.That(Output(), Does.Contain("events acknowledged by hec"));
    }
}
