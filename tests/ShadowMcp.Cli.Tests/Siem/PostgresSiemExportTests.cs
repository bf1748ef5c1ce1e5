using System.Text.Json;
using ShadowMcp.Enforcer.Engine;
using ShadowMcp.Tests;
using EnforceCommands = ShadowMcp.Enforcer.Engine.Commands;

namespace ShadowMcp.Cli.Tests.Siem;

/// <summary>
/// The export from a PostgreSQL store: the enforcer's actions and the portal's audit rows live there beside the
/// findings, so all three kinds are sent, in the same order and shape as from a SQLite store.
/// </summary>
[Category(ExternalTools.IntegrationCategory)]
public sealed class PostgresSiemExportTests
{
    private string _dir = null!;

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("shadowmcp-siem-pg-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    [Test]
    public async Task Export_FromPostgres_SendsAuditActionsAndFindingsOnce()
    {
        var url = LocalPostgres.CreateDatabase("siemexport");
        SiemSeed.Scan(url, "a.pcap", SiemSeed.Day, SiemSeed.Shadow(1, SiemSeed.Day), SiemSeed.Shadow(2, SiemSeed.Day));
        var action = SiemSeed.Action(url, EnforceCommands.Apply, ActionResults.Ok);
        await SiemSeed.AuditAsync(url, 2);
        var cursor = Path.Combine(_dir, "cursor.json");
        var output = Path.Combine(_dir, "out.jsonl");

        var first = (await SiemExport.ToFileAsync(url, cursor, output))
            .Select(l => JsonDocument.Parse(l).RootElement).ToList();
        var second = await SiemExport.ToFileAsync(url, cursor, output);

        Assert.That(first.Select(e => e.GetProperty("class_uid").GetInt32()),
            Is.EqualTo(new[] { 6003, 6003, 7004, 2004, 2004 }), "audit, then actions, then findings");
        Assert.That(first[2].GetProperty("metadata").GetProperty("uid").GetString(), Does.EndWith($":{action.Id}"));
        var actionTime = new DateTimeOffset(SiemSeed.Day.AddMinutes(5)).ToUnixTimeMilliseconds();
        Assert.That(first[2].GetProperty("time").GetInt64(), Is.EqualTo(actionTime), "the action's own time");
        Assert.That(second, Is.Empty);
    }
}
