using ShadowMcp.Tests;
using System.Diagnostics;
using System.Text.Json;
using ShadowMcp.Hosts.Inventory;
using ShadowMcp.Hosts.Processes;

namespace ShadowMcp.Hosts.Tests;

/// <summary>
/// --processes: a real stdio MCP server (the official TypeScript SDK's, started here and answering initialize) is
/// found among the machine's processes because its project depends on the SDK; a credential on its command line
/// is reported and redacted.
/// </summary>
[Category("Integration")]
public sealed class ProcessScannerTests
{
    [Test]
    public async Task RunningStdioServer_IsFound_WithItsSecretArgumentRedacted()
    {
        var folder = Path.GetDirectoryName(RepoPaths.NodeServer)!;
        ExternalTools.Require("apt-get install nodejs npm", "node");
        ExternalTools.RequirePath(Path.Combine(folder, "node_modules", "@modelcontextprotocol", "sdk"),
            "the MCP TypeScript SDK", $"cd {folder} && npm ci");
        var psi = new ProcessStartInfo("node")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(RepoPaths.NodeServer)!,
        };
        foreach (var a in new[] { RepoPaths.NodeServer, "stdio", "--api-key", PlantedSecrets.OpenAi }) psi.ArgumentList.Add(a);
        using var server = Process.Start(psi)!;
        try
        {
            // Wait for the server to answer a real initialize: then it is running, not just started.
            await server.StandardInput.WriteLineAsync(JsonSerializer.Serialize(new
            {
                jsonrpc = "2.0", id = 1, method = "initialize",
                @params = new { protocolVersion = "2025-06-18", capabilities = new { }, clientInfo = new { name = "t", version = "1" } },
            }));
            await server.StandardInput.FlushAsync();
            var line = await server.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
            Assert.That(line, Does.Contain("\"serverInfo\""), "the fixture server did not answer initialize");

            var (servers, secrets) = new ProcessScanner().Scan(new HashSet<string>());

            var mine = servers.SingleOrDefault(s => s.Pid == server.Id);
            Assert.That(mine, Is.Not.Null, () => "not found among: " + string.Join("; ", servers.Select(s => $"{s.Pid} {s.Identity}")));
            Assert.Multiple(() =>
            {
                Assert.That(mine!.Package!.Name, Is.EqualTo(RepoPaths.NodeServer));
                Assert.That(mine.Package.Launcher, Is.EqualTo("node"));
                Assert.That(mine.Origin, Is.EqualTo("process"));
                Assert.That(mine.Args, Does.Contain(SecretHit.Redacted).And.Not.Contain(PlantedSecrets.OpenAi));
                Assert.That(secrets, Has.Some.Matches<SecretHit>(s => s.ConfigPath == $"/proc/{server.Id}/cmdline" && s.Kind == "API key (sk-)"));
            });
            Assert.That(servers.Select(s => s.Pid), Does.Not.Contain(Environment.ProcessId), "the scanner never lists itself");
        }
        finally
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
        }
    }

    [Test]
    public void ProcessWithoutMcp_IsNotListed()
    {
        using var sleeper = Process.Start(new ProcessStartInfo("sleep", "300"))!;
        try
        {
            var (servers, _) = new ProcessScanner().Scan(new HashSet<string>());
            Assert.That(servers.Select(s => s.Pid), Does.Not.Contain(sleeper.Id));
            var (declared, _) = new ProcessScanner().Scan(new HashSet<string> { "sleep" });
            Assert.That(declared.Select(s => s.Pid), Does.Not.Contain(sleeper.Id), "a local program is matched by name, not by a config's package list");
        }
        finally
        {
            sleeper.Kill();
            sleeper.WaitForExit();
        }
    }
}
