using Microsoft.Extensions.Time.Testing;
using ShadowMcp.Hosts.Agents;
using ShadowMcp.Hosts.Inventory;

namespace ShadowMcp.Hosts.Tests;

/// <summary>
/// A 100 MB "config", nesting far past any real file, a symlink loop, broken syntax, a directory and an unreadable
/// file where configs should be: each is one clear message naming the file, and every other agent is still read.
/// </summary>
[Category("Integration")]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class HostileInputTests
{
    private static HostInventory Scan(FakeHome home) => new HostScanner(new FakeTimeProvider()).Scan(new HostScanOptions
    {
        Homes = [home.Home], Os = HostOs.Linux, SystemRoot = home.System, Projects = [home.Project], HostName = "h",
    });

    private static string Problem(HostInventory inventory, string fileEnd)
    {
        var matches = inventory.Problems.Where(p => p.File.EndsWith(fileEnd, StringComparison.Ordinal)).ToList();
        Assert.That(matches, Has.Count.EqualTo(1), () => $"one message for {fileEnd} among: {string.Join(" | ", inventory.Problems)}");
        return matches[0].ToString();
    }

    [Test]
    public void HostileFiles_EachGetsOneMessage_AndTheRestIsKept()
    {
        using var home = new FakeHome(HostOs.Linux);
        var lost = new HashSet<string> { "cursor-fetch", "gemini-gh", "goose-gh", "goose-sse", "codex-docker", "codex-off", "windsurf-wiki", "lm-hf", "q-docs" };

        using (var huge = new FileStream(Path.Combine(home.Home, ".cursor/mcp.json"), FileMode.Create)) huge.SetLength(100L << 20);
        home.Write(".gemini/settings.json", "{\"mcpServers\":" + new string('[', 100_000) + new string(']', 100_000) + "}");
        home.Write(".config/goose/config.yaml", "extensions:\n  x: " + new string('[', 100_000) + new string(']', 100_000) + "\n");
        home.Write(".codex/config.toml", "a = " + new string('[', 100_000) + new string(']', 100_000) + "\n");
        var windsurf = Path.Combine(home.Home, ".codeium/windsurf/mcp_config.json");
        File.Delete(windsurf);
        File.CreateSymbolicLink(windsurf, windsurf + ".loop");
        File.CreateSymbolicLink(windsurf + ".loop", windsurf);
        home.Write(".lmstudio/mcp.json", "{\n  \"mcpServers\": {\n    \"lm-hf\": { \"url\": \"https://huggingface.co/mcp\" \n  }\n");
        File.Delete(Path.Combine(home.Home, ".aws/amazonq/mcp.json"));
        Directory.CreateDirectory(Path.Combine(home.Home, ".aws/amazonq/mcp.json"));

        var inventory = Scan(home);

        Assert.Multiple(() =>
        {
            Assert.That(Problem(inventory, ".cursor/mcp.json"), Does.Contain("104857600 bytes is over the"));
            Assert.That(Problem(inventory, ".gemini/settings.json"), Does.Match(@":1: .*depth"));
            Assert.That(Problem(inventory, "goose/config.yaml"), Does.Contain("nested deeper than 64 levels").And.Contain(":2:"));
            Assert.That(Problem(inventory, ".codex/config.toml"), Does.Contain(":1:"));
            Assert.That(Problem(inventory, "mcp_config.json"), Does.Contain("symbolic links").Or.Contain("symbolic link"));
            Assert.That(Problem(inventory, ".lmstudio/mcp.json"), Does.Match(@"mcp\.json:[56]: "), "broken JSON names its line");
            Assert.That(Problem(inventory, ".aws/amazonq/mcp.json"), Does.Contain("directory"));
            Assert.That(inventory.Problems, Has.Count.EqualTo(7));
            var expected = home.Servers.Where(s => !lost.Contains(s.Name)).Select(s => (s.Agent, s.Name, s.Identity));
            Assert.That(inventory.Servers.Select(s => (s.Agent, s.Name, s.Identity)), Is.EquivalentTo(expected), "every other agent still read");
        });
    }

    [Test]
    public void UnreadableFile_IsReportedAsPermissionDenied_ByAnUnprivilegedScan()
    {
        using var home = new FakeHome(HostOs.Linux);
        var file = Path.Combine(home.Home, ".cursor/mcp.json");
        File.SetUnixFileMode(file, UnixFileMode.None);
        // The scan must run as someone the file's mode applies to: root reads anything, so the CLI runs as nobody.
        foreach (var dir in Directory.EnumerateDirectories(home.Root, "*", SearchOption.AllDirectories).Append(home.Root))
            File.SetUnixFileMode(dir, (UnixFileMode)0b111_101_101);
        foreach (var f in Directory.EnumerateFiles(home.Root, "*", SearchOption.AllDirectories).Where(f => f != file))
            File.SetUnixFileMode(f, (UnixFileMode)0b110_100_100);
        var args = new[] { "host", "scan", "--home", home.Home, "--os", "linux", "-f", "json", "--config", home.EmptyConfig() };
        var r = Environment.IsPrivilegedProcess ? CliProcess.RunAs(65534, args) : CliProcess.Run(args);

        Assert.That(r.ExitCode, Is.EqualTo(0), r.Stderr);
        Assert.That(r.Stderr, Does.Contain($"{file}: permission denied; skipped"));
        Assert.That(r.Stdout, Does.Contain("\"name\": \"cc-github\""), "the other files are still read");
        Assert.That(r.Stdout, Does.Not.Contain("cursor-fetch"));
    }
}
