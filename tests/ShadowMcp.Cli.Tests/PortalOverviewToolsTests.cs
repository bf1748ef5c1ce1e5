using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using ModelContextProtocol.Protocol;
using ShadowMcp.Cli.Hosting;
using ShadowMcp.Portal.Config;
using ShadowMcp.Portal.Pinning;
using ShadowMcp.Portal.Store;

namespace ShadowMcp.Cli.Tests;

/// <summary>
/// The admin UI's portal tool list after the portal pinned a server's tools (the real pin keeper on a real store):
/// a tool the config disables is not "Exposed: yes" (the portal refuses it), and each tool carries its description.
/// </summary>
public sealed class PortalOverviewToolsTests
{
    [Test]
    public async Task Overview_ToolDisabledByConfig_IsNotExposed_AndDescriptionsAreShown()
    {
        var dir = Directory.CreateTempSubdirectory("shadowmcp-portal-tools-").FullName;
        var db = Path.Combine(dir, "store.db");
        var config = PortalConfigLoader.Parse("""
            { "portal": { "publicUrl": "https://mcp.corp.example" },
              "upstreams": [ { "id": "github", "url": "http://127.0.0.1:9/mcp",
                               "descriptionOverrides": { "create_issue": "Create an issue in the corp GitHub" },
                               "tools": { "mode": "all", "disabled": ["delete_*"] } } ],
              "groups": { "dev": { "servers": { "github": ["*"] } } } }
            """);
        var keeper = new PinKeeper(new PortalStore(db), TimeProvider.System, NullLogger<PinKeeper>.Instance);
        keeper.Check(config.Upstreams[0],
        [
            new Tool { Name = "create_issue", Description = "Opens an issue" },
            new Tool { Name = "delete_repo", Description = "Deletes a repository" },
            new Tool { Name = "search_code", Description = "Searches code" },
        ]);

        var tools = (await new PortalDataSources(config, db).GetOverviewAsync(CancellationToken.None))!.Tools.ToDictionary(t => t.Name);
        Assert.Multiple(() =>
        {
            Assert.That(tools["delete_repo"].Exposed, Is.False, "disabled by config: the portal refuses it");
            Assert.That(tools["search_code"].Exposed, Is.True);
            Assert.That(tools["search_code"].Description, Is.EqualTo("Searches code"));
            Assert.That(tools["delete_repo"].Description, Is.EqualTo("Deletes a repository"));
            Assert.That(tools["create_issue"].Description, Is.EqualTo("Create an issue in the corp GitHub"), "the override is what callers see");
        });
        SqliteConnection.ClearAllPools();
        Directory.Delete(dir, recursive: true);
    }
}
