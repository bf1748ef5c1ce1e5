using ShadowMcp.Classifier.Loading;
using ShadowMcp.Cli.Commands;
using ShadowMcp.Core;

namespace ShadowMcp.Cli.Tests;

public sealed class IntelImportTests
{
    private const string ServerJson = """
        {"$schema":"https://static.modelcontextprotocol.io/schemas/2025-09-29/server.schema.json",
         "name":"com.example/tickets","title":"Example Tickets","version":"1.0.0",
         "remotes":[{"type":"streamable-http","url":"https://mcp.tickets-example.com/mcp"},
                    {"type":"sse","url":"https://{tenant}.tickets-example.com/sse"}]}
        """;

    private const string ServersList = """
        {"servers":[
          {"server":{"name":"io.github.acme/docs","version":"2.0.0",
                     "remotes":[{"type":"streamable-http","url":"https://api.acme-docs-example.com/v1/mcp"}]},
           "_meta":{"io.modelcontextprotocol.registry/official":{"status":"active"}}},
          {"server":{"name":"com.example/again","remotes":[{"type":"streamable-http","url":"https://mcp.notion.com/mcp"}]}},
          {"server":{"name":"com.example/local","packages":[{"registryType":"npm","identifier":"x"}]}}
        ]}
        """;

    [Test]
    public void Import_RegistryDocuments_AddsNewHostsWithProvenanceOnce()
    {
        var dir = Directory.CreateTempSubdirectory("intel-");
        try
        {
            foreach (var file in Directory.GetFiles(RepoPaths.Rules)) File.Copy(file, Path.Combine(dir.FullName, Path.GetFileName(file)));
            var serverJson = Path.Combine(dir.FullName, "server.json.txt");
            var list = Path.Combine(dir.FullName, "servers.json.txt");
            File.WriteAllText(serverJson, ServerJson);
            File.WriteAllText(list, ServersList);
            var time = new FixedTime(new DateTimeOffset(2026, 12, 4, 12, 0, 0, TimeSpan.Zero));

            Assert.That(IntelCommand.Import([serverJson, list], dir.FullName, time), Is.EqualTo(ExitCode.Success));
            Assert.That(IntelCommand.Import([serverJson, list], dir.FullName, time), Is.EqualTo(ExitCode.Success));

            var catalog = RuleLinter.LintDirectory(dir.FullName).Catalog;
            var imported = catalog.Hosts.Where(h => h.Checked == new DateOnly(2026, 12, 4)).ToList();
            Assert.That(imported.Select(h => (h.Host, h.Path)), Is.EquivalentTo(new[]
            {
                ("mcp.tickets-example.com", (string?)null), ("api.acme-docs-example.com", "/v1/mcp"),
            }));
            Assert.That(imported.Single(h => h.Host == "mcp.tickets-example.com").Vendor, Is.EqualTo("Example Tickets"));
            Assert.That(imported.Single(h => h.Host == "api.acme-docs-example.com").Source,
                Is.EqualTo("https://registry.modelcontextprotocol.io/v0/servers?search=io.github.acme%2Fdocs"));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Test]
    public void Import_NotARegistryDocument_IsBadInputAndChangesNothing()
    {
        var dir = Directory.CreateTempSubdirectory("intel-");
        try
        {
            foreach (var file in Directory.GetFiles(RepoPaths.Rules)) File.Copy(file, Path.Combine(dir.FullName, Path.GetFileName(file)));
            var bad = Path.Combine(dir.FullName, "bad.txt");
            File.WriteAllText(bad, "[1,2,3]");

            Assert.That(IntelCommand.Import([bad], dir.FullName, TimeProvider.System), Is.EqualTo(ExitCode.InvalidInput));
            Assert.That(File.Exists(Path.Combine(dir.FullName, IntelCommand.ImportedFile)), Is.False);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
