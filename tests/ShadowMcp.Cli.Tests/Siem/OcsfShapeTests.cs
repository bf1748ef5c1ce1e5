using System.Text.Json;
using Microsoft.Data.Sqlite;
using ShadowMcp.Enforcer.Engine;
using EnforceCommands = ShadowMcp.Enforcer.Engine.Commands;

namespace ShadowMcp.Cli.Tests.Siem;

/// <summary>
/// Each OCSF class the export writes carries what OCSF 1.3 marks required: the base event's attributes (class,
/// category, activity, type_uid consistent with them, severity, time, metadata version and product) and the class's
/// own (Network Remediation Activity: command_uid, connection_info; API Activity: actor, api, src_endpoint).
/// </summary>
public sealed class OcsfShapeTests
{
    private string _dir = null!;
    private string Db => Path.Combine(_dir, "shape.db");

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("shadowmcp-ocsf-").FullName;

    [TearDown]
    public void TearDown()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    private async Task<JsonElement[]> ExportAsync() =>
        [.. (await SiemExport.ToFileAsync(Db, Path.Combine(_dir, "c.json"), Path.Combine(_dir, "o.jsonl"))).Select(l => JsonDocument.Parse(l).RootElement)];

    private static void AssertBaseEvent(JsonElement e, int classUid, int categoryUid)
    {
        Assert.That(e.GetProperty("class_uid").GetInt32(), Is.EqualTo(classUid), e.ToString());
        Assert.That(e.GetProperty("category_uid").GetInt32(), Is.EqualTo(categoryUid));
        var activity = e.GetProperty("activity_id").GetInt32();
        Assert.That(e.GetProperty("type_uid").GetInt64(), Is.EqualTo(classUid * 100L + activity));
        Assert.That(e.GetProperty("activity_name").GetString(), Is.Not.Empty);
        Assert.That(e.GetProperty("severity_id").GetInt32(), Is.InRange(0, 6));
        Assert.That(e.GetProperty("severity").GetString(), Is.Not.Empty);
        Assert.That(e.GetProperty("time").GetInt64(), Is.GreaterThan(0));
        var metadata = e.GetProperty("metadata");
        Assert.That(metadata.GetProperty("version").GetString(), Is.EqualTo("1.3.0"));
        Assert.That(metadata.GetProperty("product").GetProperty("vendor_name").GetString(), Is.EqualTo("ShadowMcp"));
        Assert.That(metadata.GetProperty("product").GetProperty("name").GetString(), Is.EqualTo("ShadowMcp"));
        Assert.That(metadata.GetProperty("uid").GetString(), Does.StartWith("shadowmcp:"));
    }

    [Test]
    public async Task EnforcerActions_AreNetworkRemediationActivity()
    {
        var apply = SiemSeed.Action(Db, EnforceCommands.Apply, ActionResults.Ok, added: 2);
        SiemSeed.Action(Db, EnforceCommands.Rollback, ActionResults.Failed);

        var events = await ExportAsync();

        Assert.That(events, Has.Length.EqualTo(2));
        foreach (var e in events)
        {
            AssertBaseEvent(e, 7004, 7);
            Assert.That(e.GetProperty("command_uid").GetString(), Does.StartWith("run-"));
            Assert.That(e.GetProperty("connection_info").GetProperty("direction_id").GetInt32(), Is.EqualTo(2));
            Assert.That(e.GetProperty("actor").GetProperty("user").GetProperty("name").GetString(), Is.EqualTo("admin"));
            Assert.That(e.GetProperty("countermeasures")[0].GetProperty("d3f_technique").GetProperty("uid").GetString(), Is.EqualTo("D3-OTF"));
        }
        var (isolate, restore) = (events[0], events[1]);
        Assert.That(isolate.GetProperty("metadata").GetProperty("uid").GetString(), Is.EqualTo($"shadowmcp:action:{apply.Id}"));
        Assert.That((isolate.GetProperty("activity_id").GetInt32(), isolate.GetProperty("activity_name").GetString()), Is.EqualTo((1, "Isolate")));
        Assert.That(isolate.GetProperty("status_id").GetInt32(), Is.EqualTo(1));
        Assert.That(isolate.GetProperty("severity_id").GetInt32(), Is.EqualTo(1));
        Assert.That(isolate.GetProperty("unmapped").GetProperty("added").GetArrayLength(), Is.EqualTo(2));
        Assert.That((restore.GetProperty("activity_id").GetInt32(), restore.GetProperty("activity_name").GetString()), Is.EqualTo((3, "Restore")));
        Assert.That(restore.GetProperty("status").GetString(), Is.EqualTo("Failure"));
        Assert.That(restore.GetProperty("severity_id").GetInt32(), Is.EqualTo(3), "a failed action is worth a look");
    }

    [Test]
    public async Task PortalAuditRows_AreApiActivity_WithoutArguments()
    {
        await SiemSeed.AuditAsync(Db, 1);
        await SiemSeed.AuditAsync(Db, 1, outcome: "denied");

        var events = await ExportAsync();

        Assert.That(events, Has.Length.EqualTo(2));
        foreach (var e in events)
        {
            AssertBaseEvent(e, 6003, 6);
            Assert.That(e.GetProperty("actor").GetProperty("user").GetProperty("name").GetString(), Is.EqualTo("alice"));
            Assert.That(e.GetProperty("actor").GetProperty("user").GetProperty("groups")[0].GetProperty("name").GetString(), Is.EqualTo("dev"));
            Assert.That(e.GetProperty("api").GetProperty("operation").GetString(), Is.EqualTo("tools/call"));
            Assert.That(e.GetProperty("api").GetProperty("service").GetProperty("name").GetString(), Is.EqualTo("github"));
            Assert.That(e.GetProperty("src_endpoint").GetProperty("name").GetString(), Is.EqualTo("claude-code"));
            Assert.That(e.GetProperty("resources")[0].GetProperty("uid").GetString(), Is.EqualTo("github/create_issue"));
            Assert.That(e.GetProperty("unmapped").GetProperty("hash").GetString(), Is.Not.Empty);
            Assert.That(e.ToString(), Does.Not.Contain("secret-ish"), "call arguments never leave the audit log");
        }
        Assert.That(events[1].GetProperty("unmapped").GetProperty("prev_hash").GetString(),
            Is.EqualTo(events[0].GetProperty("unmapped").GetProperty("hash").GetString()), "the chain can be followed in the SIEM");
        Assert.That(events[0].GetProperty("metadata").GetProperty("sequence").GetInt64(), Is.EqualTo(1));
        Assert.That((events[0].GetProperty("status_id").GetInt32(), events[0].GetProperty("severity_id").GetInt32()), Is.EqualTo((1, 1)));
        Assert.That((events[1].GetProperty("status_id").GetInt32(), events[1].GetProperty("severity_id").GetInt32()), Is.EqualTo((2, 3)));
        Assert.That(events[1].GetProperty("status_code").GetString(), Is.EqualTo("denied"));
    }

    [Test]
    public async Task Findings_AreDetectionFinding()
    {
        SiemSeed.Scan(Db, "a.pcap", SiemSeed.Day, SiemSeed.Shadow(1, SiemSeed.Day));

        var e = (await ExportAsync()).Single();

        AssertBaseEvent(e, 2004, 2);
        Assert.That(e.GetProperty("finding_info").GetProperty("uid").GetString(), Is.EqualTo("shadowmcp:finding:10.0.7.1:8001/mcp"));
        Assert.That(e.GetProperty("finding_info").GetProperty("title").GetString(), Is.Not.Empty);
    }
}
