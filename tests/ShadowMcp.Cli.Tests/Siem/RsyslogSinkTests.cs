using System.Text.Json;
using Microsoft.Data.Sqlite;
using ShadowMcp.Cli.Siem;
using ShadowMcp.Core;
using ShadowMcp.Enforcer.Engine;
using ShadowMcp.Tests;
using EnforceCommands = ShadowMcp.Enforcer.Engine.Commands;

namespace ShadowMcp.Cli.Tests.Siem;

/// <summary>
/// The syslog sink against a real rsyslogd: RFC 5424 messages with octet-counting framing over TCP (RFC 6587) and
/// TLS (RFC 5425, rsyslog's gtls driver with a CA made by the test), parsed by rsyslog into PRI, APP-NAME, MSGID and
/// MSG; a receiver that is down fails the run with the cursor unmoved, and the next run delivers everything.
/// </summary>
[Category(ExternalTools.IntegrationCategory)]
public sealed class RsyslogSinkTests
{
    private string _dir = null!;
    private string Db => Path.Combine(_dir, "syslog.db");
    private string CursorFile => Path.Combine(_dir, "syslog.cursor.json");

    [SetUp]
    public async Task SetUp()
    {
        _dir = Directory.CreateTempSubdirectory("shadowmcp-syslog-").FullName;
        await SiemSeed.AuditAsync(Db, 2);
        await SiemSeed.AuditAsync(Db, 1, outcome: "dlp-blocked");
        SiemSeed.Action(Db, EnforceCommands.Apply, ActionResults.Ok);
        SiemSeed.Scan(Db, "a.pcap", SiemSeed.Day, SiemSeed.Shadow(1, SiemSeed.Day), SiemSeed.Shadow(2, SiemSeed.Day));
    }

    [TearDown]
    public void TearDown()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    private const int Seeded = 6;

    /// <summary>Each line as rsyslog parsed it: every message is RFC 5424 from shadowmcp carrying one OCSF event.</summary>
    private static JsonElement[] AssertRfc5424(string[] lines)
    {
        var events = new List<JsonElement>();
        foreach (var line in lines)
        {
            var f = line.Split('|', 6);
            Assert.That(f, Has.Length.EqualTo(6), line);
            Assert.That(f[1], Is.EqualTo("shadowmcp"), line);
            Assert.That(int.Parse(f[2], System.Globalization.CultureInfo.InvariantCulture), Is.GreaterThan(0), "PROCID");
            var e = JsonDocument.Parse(f[5]).RootElement;
            Assert.That(f[3], Is.EqualTo($"ocsf-{e.GetProperty("class_uid").GetInt32()}"), "MSGID names the class");
            var pri = int.Parse(f[0], System.Globalization.CultureInfo.InvariantCulture);
            Assert.That(pri / 8, Is.EqualTo(SyslogFrame.Facility));
            Assert.That(pri % 8, Is.EqualTo(SyslogFrame.SyslogSeverity(e.GetProperty("severity_id").GetInt32())));
            events.Add(e);
        }
        return [.. events];
    }

    [Test]
    public async Task Tcp_DownThenUp_EveryEventArrivesOnceAsAnRfc5424Message()
    {
        var port = LocalRsyslog.FreePort();
        var options = new SiemDeliveryOptions { BatchSize = 4, Retries = 1, InitialBackoff = TimeSpan.Zero };
        await using (var down = new SyslogSink("127.0.0.1", port, null, TimeSpan.FromSeconds(30)))
            Assert.That(async () => await SiemExport.RunAsync(Db, CursorFile, down, options), Throws.TypeOf<SiemSinkException>());
        Assert.That(File.Exists(CursorFile), Is.False, "nothing acknowledged, nothing recorded");

        await using var rsyslog = await LocalRsyslog.StartAsync(port: port);
        await using (var sink = new SyslogSink("127.0.0.1", port, null, TimeSpan.FromSeconds(30)))
        {
            Assert.That(await SiemExport.RunAsync(Db, CursorFile, sink, options), Is.EqualTo(Seeded));
            Assert.That(await SiemExport.RunAsync(Db, CursorFile, sink, options), Is.Zero);
        }

        var events = AssertRfc5424(await rsyslog.WaitForLinesAsync(Seeded));
        Assert.That(events.Select(e => e.GetProperty("metadata").GetProperty("uid").GetString()), Is.Unique);
        Assert.That(events.Select(e => e.GetProperty("class_uid").GetInt32()), Is.EqualTo(new[] { 6003, 6003, 6003, 7004, 2004, 2004 }));
        Assert.That(events[2].GetProperty("severity_id").GetInt32(), Is.EqualTo(3), "the DLP refusal is a warning in syslog");
    }

    /// <summary>
    /// A receiver cuts a message longer than its limit (rsyslog: 8 kB by default) and, with octet counting, reads the
    /// rest of the frame as a message of its own. Finding strings come from the wire, so a server name of many kB
    /// put attacker text there: a forged syslog line with its own PRI, host and app. The sink keeps each message
    /// within the limit, cutting the event's longest strings, so every line is one whole event from shadowmcp.
    /// </summary>
    [Test]
    public async Task Tcp_EventLongerThanTheReceiversLimit_IsShortenedNotSplitIntoAForgedMessage()
    {
        var db = Path.Combine(_dir, "long.db");
        const string forged = "<86>1 2026-12-07T00:00:01.000Z bastion sshd 4242 - - Accepted password for root from 10.9.9.9 ";
        var f = SiemSeed.Shadow(9, SiemSeed.Day);
        f.Server = new ShadowMcp.Core.Findings.ServerInfo(string.Concat(Enumerable.Repeat(forged, 200)), "1.0");
        for (var i = 0; i < 30; i++) f.Tools.Add($"tool-{i:00}-" + string.Concat(Enumerable.Repeat(forged, 3)));
        SiemSeed.Scan(db, "long.pcap", SiemSeed.Day, f);
        await using var rsyslog = await LocalRsyslog.StartAsync(maxMessageSize: null);

        await using (var sink = new SyslogSink("127.0.0.1", rsyslog.Port, null, TimeSpan.FromSeconds(30)))
            Assert.That(await SiemExport.RunAsync(db, Path.Combine(_dir, "long.cursor"), sink), Is.EqualTo(1));

        var lines = await rsyslog.WaitForLinesAsync(1);
        var events = AssertRfc5424(lines);
        Assert.That(events, Has.Length.EqualTo(1), string.Join("\n", lines));
        var unmapped = events[0].GetProperty("unmapped");
        Assert.That(unmapped.GetProperty("server_name").GetString(), Does.StartWith(forged), "the name is kept, only shortened");
        Assert.That(events[0].GetProperty("finding_info").GetProperty("uid").GetString(), Does.Contain("10.0.7.9:8009/mcp"));
        Assert.That(rsyslog.Log, Does.Not.Contain("oversize"));
    }

    [TestCase("gtls")]
    [TestCase("ossl")]
    public async Task Tls_FromTheCommandLine_WithTheTestCa(string driver)
    {
        var tls = TestCertificates.Write(_dir);
        await using var rsyslog = await LocalRsyslog.StartAsync(tls, driver: driver);

        var r = CliProcess.Run("export", "--ocsf", "--db", Db, "--to", $"syslog+tls://127.0.0.1:{rsyslog.Port}", "--ca", tls.Ca, "--cursor", CursorFile);
        Assert.That(r.ExitCode, Is.Zero, r.Stderr + rsyslog.Log);
        var again = CliProcess.Run("export", "--ocsf", "--db", Db, "--to", $"syslog+tls://127.0.0.1:{rsyslog.Port}", "--ca", tls.Ca, "--cursor", CursorFile);
        Assert.That(again.ExitCode, Is.Zero, again.Stderr);

        var events = AssertRfc5424(await rsyslog.WaitForLinesAsync(Seeded));
        Assert.That(events, Has.Length.EqualTo(Seeded), "the second run sent nothing");
        Assert.That(SiemCursor.Load(CursorFile).AuditSeq, Is.EqualTo(3));
    }

    [Test]
    public async Task Tls_ServerCertificateFromAnotherCa_IsRefused_AndTheCursorStays()
    {
        var tls = TestCertificates.Write(_dir, "server");
        var other = TestCertificates.Write(_dir, "other");
        await using var rsyslog = await LocalRsyslog.StartAsync(tls);

        var r = CliProcess.Run("export", "--ocsf", "--db", Db, "--to", $"syslog+tls://127.0.0.1:{rsyslog.Port}", "--ca", other.Ca,
            "--cursor", CursorFile, "--retries", "0");

        Assert.That(r.ExitCode, Is.EqualTo((int)ExitCode.OutputError), r.Stderr);
        Assert.That(r.Stderr, Does.Contain("syslog+tls://127.0.0.1"));
        Assert.That(File.Exists(CursorFile), Is.False);
    }
}
