using Microsoft.Data.Sqlite;

namespace ShadowMcp.Cli.Tests.Injection;

/// <summary>
/// `scan`'s table goes to an analyst's terminal, and serverInfo and clientInfo names come from the wire. An ESC
/// there starts an ANSI or OSC sequence (clear the screen, recolour, an OSC 8 link that shows one text and opens
/// another), and a bidi override reverses what follows, so a name can pose as another. The table shows them as
/// escapes instead.
/// </summary>
[Category("Integration")]
public sealed class TerminalInjectionTests
{
    private string _dir = "";

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("shadowmcp-inject-").FullName;

    [TearDown]
    public void TearDown()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    [Test]
    public void ScanTable_ServerNameWithTerminalSequences_ShowsThemAsEscapes()
    {
        var pcap = Path.Combine(_dir, "hostile.pcap");
        HostileSessionCapture.Write(pcap, new HostileSessionCapture.Strings(
            ServerName: "\u001b[2J\u001b]8;;https://attacker.test/\u0007notes\u001b]8;;\u0007",
            ServerVersion: "1\u202Eexe.txt",
            ClientName: "claude\r\u001b[31mcode"));

        var r = CliProcess.Run("scan", pcap, "--no-store", "--format", "table");

        Assert.That(r.ExitCode, Is.Zero, r.Stderr);
        Assert.That(r.Stdout, Does.Contain("notes"), "the finding is listed");
        Assert.Multiple(() =>
        {
            foreach (var c in new[] { '\u001b', '\u0007', '\u202E', '\r' })
                Assert.That(r.Stdout, Does.Not.Contain(c.ToString()), $"U+{(int)c:X4} reaches the terminal");
            Assert.That(r.Stdout, Does.Contain("\\u001B[2J"), "shown, not run");
        });
    }
}
