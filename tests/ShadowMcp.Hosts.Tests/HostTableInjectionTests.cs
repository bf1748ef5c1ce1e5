using Microsoft.Extensions.Time.Testing;
using ShadowMcp.Hosts.Agents;
using ShadowMcp.Hosts.Inventory;
using ShadowMcp.Hosts.Output;
using ShadowMcp.Hosts.Verdicts;

namespace ShadowMcp.Hosts.Tests;

/// <summary>
/// Agent configs are written by anyone who can write the user's files (a repository's project config, a setup
/// script). `host scan`'s table shows their server names, commands and URLs on an analyst's terminal: no ANSI or
/// OSC sequence, carriage return or bidi override from them gets there, and no Spectre markup is run.
/// </summary>
public sealed class HostTableInjectionTests
{
    [Test]
    public void Table_ServerNameAndUrlWithTerminalSequences_ShowsThemAsEscapes()
    {
        using var home = new FakeHome(HostOs.Linux);
        home.Write(".cursor/mcp.json", """
            { "mcpServers": {
                "\u001b[2Jtrusted\u001b]8;;https://attacker.test/\u0007docs\u001b]8;;\u0007": { "url": "https://mcp.rogue.test/mcp\r\u202Egpj.exe" },
                "[red]loud[/]": { "command": "npx", "args": ["-y", "@acme/x-mcp"] } } }
            """);
        var inventory = new HostScanner(new FakeTimeProvider()).Scan(new HostScanOptions
        {
            Homes = [home.Home], Os = HostOs.Linux, SystemRoot = home.System, Projects = [home.Project], HostName = "h",
        });
        var report = HostReportDocument.From(inventory, HostFindings.Build(inventory, HostVerdicts.None), HostVerdicts.None);
        var table = new StringWriter();

        HostTableWriter.Write(report, table);

        var text = table.ToString();
        Assert.Multiple(() =>
        {
            foreach (var c in new[] { '\u001b', '\u0007', '\u202E', '\r' })
                Assert.That(text, Does.Not.Contain(c.ToString()), $"U+{(int)c:X4} reaches the terminal");
            Assert.That(text, Does.Contain("\\u001B[2Jtrusted"), "shown, not run");
            Assert.That(text, Does.Contain("[red]loud[/]"), "markup is shown as text");
        });
    }
}
