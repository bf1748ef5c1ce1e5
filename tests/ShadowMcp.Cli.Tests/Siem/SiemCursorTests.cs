using System.Text.Json;
using Microsoft.Data.Sqlite;
using ShadowMcp.Cli.Siem;
using ShadowMcp.Core.Findings;
using ShadowMcp.Enforcer.Engine;
using EnforceCommands = ShadowMcp.Enforcer.Engine.Commands;

namespace ShadowMcp.Cli.Tests.Siem;

/// <summary>
/// The export cursor on a real SQLite store and a JSON-lines file sink: a re-run sends nothing new, what changed is
/// sent again (findings as Update, actions when they complete), and a cursor that was not written after a send (a
/// crash in between) makes the next run send that batch again, never lose it.
/// </summary>
public sealed class SiemCursorTests
{
    private string _dir = null!;
    private string Db => Path.Combine(_dir, "siem.db");
    private string CursorFile => Path.Combine(_dir, "siem.cursor.json");
    private string Out => Path.Combine(_dir, "out.jsonl");

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("shadowmcp-siem-").FullName;

    [TearDown]
    public void TearDown()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    private static JsonElement[] Parse(IEnumerable<string> lines) => [.. lines.Select(l => JsonDocument.Parse(l).RootElement)];

    private static string[] Uids(IEnumerable<string> lines) => [.. Parse(lines).Select(e => e.GetProperty("metadata").GetProperty("uid").GetString()!)];

    [Test]
    public async Task ReRun_SendsNothingNew()
    {
        SiemSeed.Scan(Db, "a.pcap", SiemSeed.Day, SiemSeed.Shadow(1, SiemSeed.Day), SiemSeed.Shadow(2, SiemSeed.Day));
        SiemSeed.Action(Db, EnforceCommands.Apply, ActionResults.Ok);
        await SiemSeed.AuditAsync(Db, 4);

        var first = await SiemExport.ToFileAsync(Db, CursorFile, Out);
        var second = await SiemExport.ToFileAsync(Db, CursorFile, Out);

        Assert.That(Parse(first).Select(e => e.GetProperty("class_uid").GetInt32()),
            Is.EqualTo(new[] { 6003, 6003, 6003, 6003, 7004, 2004, 2004 }), "audit, then actions, then findings");
        Assert.That(second, Is.Empty);
    }

    [Test]
    public async Task NewRecords_AreSentOnceEach()
    {
        SiemSeed.Scan(Db, "a.pcap", SiemSeed.Day, SiemSeed.Shadow(1, SiemSeed.Day));
        await SiemSeed.AuditAsync(Db, 2);
        await SiemExport.ToFileAsync(Db, CursorFile, Out);

        SiemSeed.Scan(Db, "b.pcap", SiemSeed.Day.AddDays(1), SiemSeed.Shadow(3, SiemSeed.Day.AddDays(1)));
        await SiemSeed.AuditAsync(Db, 1);
        var second = await SiemExport.ToFileAsync(Db, CursorFile, Out);

        Assert.That(Uids(second), Is.EqualTo(new[] { "shadowmcp:audit:3", "shadowmcp:finding:10.0.7.3:8003/mcp" }));
        Assert.That(Parse(second)[1].GetProperty("activity_id").GetInt32(), Is.EqualTo(OcsfDetectionFinding.ActivityCreate));
    }

    [Test]
    public async Task ChangedFinding_IsSentAgainAsUpdate_UnchangedOnesAreNot()
    {
        SiemSeed.Scan(Db, "a.pcap", SiemSeed.Day, SiemSeed.Shadow(1, SiemSeed.Day), SiemSeed.Shadow(2, SiemSeed.Day));
        await SiemExport.ToFileAsync(Db, CursorFile, Out);

        // A later capture sees server 1 again: its last seen time moves on. Re-scanning the same file changes nothing.
        SiemSeed.Scan(Db, "b.pcap", SiemSeed.Day.AddHours(5), SiemSeed.Shadow(1, SiemSeed.Day.AddHours(5)));
        SiemSeed.Scan(Db, "a.pcap", SiemSeed.Day.AddHours(6), SiemSeed.Shadow(2, SiemSeed.Day), SiemSeed.Shadow(1, SiemSeed.Day));
        var second = Parse(await SiemExport.ToFileAsync(Db, CursorFile, Out));

        Assert.That(second, Has.Length.EqualTo(1));
        Assert.That(second[0].GetProperty("finding_info").GetProperty("uid").GetString(), Is.EqualTo("shadowmcp:finding:10.0.7.1:8001/mcp"));
        Assert.That(second[0].GetProperty("activity_id").GetInt32(), Is.EqualTo(OcsfDetectionFinding.ActivityUpdate));
        Assert.That(second[0].GetProperty("type_uid").GetInt32(), Is.EqualTo(200402));
        Assert.That(second[0].GetProperty("finding_info").GetProperty("last_seen_time").GetInt64(),
            Is.EqualTo(new DateTimeOffset(SiemSeed.Day.AddHours(5)).ToUnixTimeMilliseconds()));
        Assert.That(await SiemExport.ToFileAsync(Db, CursorFile, Out), Is.Empty);
    }

    [Test]
    public async Task VerdictChange_IsAnUpdate()
    {
        SiemSeed.Scan(Db, "a.pcap", SiemSeed.Day, SiemSeed.Shadow(1, SiemSeed.Day, Verdict.Suspected));
        await SiemExport.ToFileAsync(Db, CursorFile, Out);
        SiemSeed.Scan(Db, "a.pcap", SiemSeed.Day.AddHours(1), SiemSeed.Shadow(1, SiemSeed.Day, Verdict.Shadow));

        var second = Parse(await SiemExport.ToFileAsync(Db, CursorFile, Out));

        Assert.That(second, Has.Length.EqualTo(1));
        Assert.That(second[0].GetProperty("unmapped").GetProperty("verdict").GetString(), Is.EqualTo("shadow"));
        Assert.That(second[0].GetProperty("is_alert").GetBoolean(), Is.True);
    }

    [Test]
    public async Task FindingGoneFromTheStore_IsClosedOnce_AndCreatedAgainIfItReturns()
    {
        SiemSeed.Scan(Db, "a.pcap", SiemSeed.Day, SiemSeed.Shadow(1, SiemSeed.Day), SiemSeed.Shadow(2, SiemSeed.Day));
        await SiemExport.ToFileAsync(Db, CursorFile, Out);

        // The capture is scanned again and no longer shows server 1: the store drops that finding.
        SiemSeed.Scan(Db, "a.pcap", SiemSeed.Day.AddHours(1), SiemSeed.Shadow(2, SiemSeed.Day));
        var closed = Parse(await SiemExport.ToFileAsync(Db, CursorFile, Out));
        var quiet = await SiemExport.ToFileAsync(Db, CursorFile, Out);
        SiemSeed.Scan(Db, "b.pcap", SiemSeed.Day.AddHours(2), SiemSeed.Shadow(1, SiemSeed.Day.AddHours(2)));
        var back = Parse(await SiemExport.ToFileAsync(Db, CursorFile, Out));

        Assert.That(closed, Has.Length.EqualTo(1));
        Assert.That(closed[0].GetProperty("finding_info").GetProperty("uid").GetString(), Is.EqualTo("shadowmcp:finding:10.0.7.1:8001/mcp"));
        Assert.That((closed[0].GetProperty("activity_id").GetInt32(), closed[0].GetProperty("type_uid").GetInt32()), Is.EqualTo((3, 200403)));
        Assert.That(closed[0].GetProperty("metadata").GetProperty("version").GetString(), Is.EqualTo("1.3.0"));
        Assert.That(quiet, Is.Empty);
        Assert.That(back.Single().GetProperty("activity_id").GetInt32(), Is.EqualTo(OcsfDetectionFinding.ActivityCreate));
    }

    [Test]
    public async Task TriageDecision_IsAnUpdate_WithTheFindingStatus()
    {
        SiemSeed.Scan(Db, "a.pcap", SiemSeed.Day, SiemSeed.Shadow(1, SiemSeed.Day), SiemSeed.Shadow(2, SiemSeed.Day));
        var first = Parse(await SiemExport.ToFileAsync(Db, CursorFile, Out));
        using (var store = ShadowMcp.Core.Store.FindingStore.Open(Db))
        {
            ShadowMcp.Core.Store.TriageLedger.Apply(store.Context, ["10.0.7.1:8001/mcp"],
                new ShadowMcp.Core.Triage.TriageChange(ShadowMcp.Core.Triage.TriageStatus.UnderReview, "bob"), "alice", SiemSeed.Day.AddHours(1));
            ShadowMcp.Core.Store.TriageLedger.Apply(store.Context, ["10.0.7.2:8002/mcp"],
                new ShadowMcp.Core.Triage.TriageChange(ShadowMcp.Core.Triage.TriageStatus.FalsePositive), "alice", SiemSeed.Day.AddHours(1));
        }

        var second = Parse(await SiemExport.ToFileAsync(Db, CursorFile, Out));

        Assert.That(first.Select(e => e.GetProperty("status_id").GetInt32()), Is.EqualTo(new[] { 1, 1 }));
        Assert.That(second.Select(e => e.GetProperty("activity_id").GetInt32()), Is.EqualTo(new[] { 2, 2 }));
        var review = second.Single(e => e.GetProperty("finding_info").GetProperty("uid").GetString()!.EndsWith("8001/mcp", StringComparison.Ordinal));
        var falsePositive = second.Single(e => e.GetProperty("finding_info").GetProperty("uid").GetString()!.EndsWith("8002/mcp", StringComparison.Ordinal));
        Assert.That((review.GetProperty("status_id").GetInt32(), review.GetProperty("status").GetString()), Is.EqualTo((2, "In Progress")));
        Assert.That(review.GetProperty("unmapped").GetProperty("triage_owner").GetString(), Is.EqualTo("bob"));
        Assert.That((falsePositive.GetProperty("status_id").GetInt32(), falsePositive.GetProperty("status").GetString()), Is.EqualTo((3, "Suppressed")));
        Assert.That(falsePositive.GetProperty("is_alert").GetBoolean(), Is.False, "a false positive is no alert");
    }

    [Test]
    public async Task PendingAction_IsSentAgainWhenItCompletes_ThenNeverAgain()
    {
        var pending = SiemSeed.Action(Db, EnforceCommands.Apply, ActionResults.Pending);
        var first = Parse(await SiemExport.ToFileAsync(Db, CursorFile, Out));
        Assert.That(first.Single().GetProperty("status").GetString(), Is.EqualTo("Pending"));
        Assert.That(SiemCursor.Load(CursorFile).ActionsDoneThrough, Is.Zero, "a pending row is not final");

        SiemSeed.CompleteAction(Db, pending.Id, ActionResults.Failed, "nft: permission denied");
        var second = Parse(await SiemExport.ToFileAsync(Db, CursorFile, Out));
        Assert.That(second.Single().GetProperty("status_id").GetInt32(), Is.EqualTo(2));
        Assert.That(second.Single().GetProperty("status_detail").GetString(), Is.EqualTo("nft: permission denied"));

        Assert.That(await SiemExport.ToFileAsync(Db, CursorFile, Out), Is.Empty);
        var cursor = SiemCursor.Load(CursorFile);
        Assert.That(cursor.ActionsDoneThrough, Is.EqualTo(pending.Id), "final and delivered: folded into the prefix");
        Assert.That(cursor.Actions, Is.Empty);
    }

    [Test]
    public async Task CursorNotWrittenAfterASend_NextRunSendsTheSameEventsAgain_NothingLost()
    {
        SiemSeed.Scan(Db, "a.pcap", SiemSeed.Day, SiemSeed.Shadow(1, SiemSeed.Day));
        await SiemSeed.AuditAsync(Db, 2);
        await SiemExport.ToFileAsync(Db, CursorFile, Out);
        var before = File.ReadAllBytes(CursorFile);

        await SiemSeed.AuditAsync(Db, 2);
        SiemSeed.Scan(Db, "b.pcap", SiemSeed.Day.AddDays(1), SiemSeed.Shadow(2, SiemSeed.Day.AddDays(1)));
        var sent = await SiemExport.ToFileAsync(Db, CursorFile, Out);
        // The process dies after the sink took the batch and before the cursor reached the disk.
        File.WriteAllBytes(CursorFile, before);
        var again = await SiemExport.ToFileAsync(Db, CursorFile, Out);

        Assert.That(Uids(sent), Is.EqualTo(new[] { "shadowmcp:audit:3", "shadowmcp:audit:4", "shadowmcp:finding:10.0.7.2:8002/mcp" }));
        Assert.That(Uids(again), Is.EqualTo(Uids(sent)));
    }

    [Test]
    public async Task EventsOption_SendsOnlyTheChosenStreams()
    {
        SiemSeed.Scan(Db, "a.pcap", SiemSeed.Day, SiemSeed.Shadow(1, SiemSeed.Day));
        await SiemSeed.AuditAsync(Db, 2);

        var audit = Parse(await SiemExport.ToFileAsync(Db, CursorFile, Out, new HashSet<SiemStream> { SiemStream.Audit }));
        var rest = Parse(await SiemExport.ToFileAsync(Db, CursorFile, Out));

        Assert.That(audit.Select(e => e.GetProperty("class_uid").GetInt32()), Is.EqualTo(new[] { 6003, 6003 }));
        Assert.That(rest.Select(e => e.GetProperty("class_uid").GetInt32()), Is.EqualTo(new[] { 2004 }));
    }

    [Test]
    public void CorruptCursorFile_IsAnErrorNotAFreshStart()
    {
        File.WriteAllText(CursorFile, "{not json");
        Assert.That(() => SiemCursor.Load(CursorFile), Throws.TypeOf<SiemCursorException>().With.Message.Contains(CursorFile));
    }
}
