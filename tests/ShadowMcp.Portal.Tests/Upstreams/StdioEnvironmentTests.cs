using System.Text.Json;
using ModelContextProtocol.Protocol;
using ShadowMcp.Portal.Config;
using ShadowMcp.Portal.Tests.Fixtures;

namespace ShadowMcp.Portal.Tests.Upstreams;

/// <summary>
/// A stdio upstream (a real Node process) gets an empty environment plus PATH and what its config declares: a
/// read-only caller asking it for its environment sees none of the portal's secrets.
/// </summary>
[Category("Integration")]
[NonParallelizable]
public sealed class StdioEnvironmentTests
{
    private const string PortalSecret = "PORTAL_OAUTH_CLIENT_SECRET";
    private const string DeclaredSource = "SHADOWMCP_TEST_UPSTREAM_TOKEN";
    private PortalFixture _portal = null!;

    [OneTimeSetUp]
    public async Task SetUp()
    {
        Environment.SetEnvironmentVariable(PortalSecret, "portal-secret-4f9a");
        Environment.SetEnvironmentVariable(DeclaredSource, "upstream-token-77c1");
        var dir = TempDir.Create();
        var secretFile = Path.Combine(dir, "api_key");
        await File.WriteAllTextAsync(secretFile, "file-secret-91d2\n");
        var config = PortalFixture.Config1();
        config.Upstreams.Add(new UpstreamConfig
        {
            Id = "env", Command = "node", Args = [Path.Combine(NodeScripts.Folder, "env-server.mjs")], TimeoutSeconds = 30,
            Env = { ["ROOT"] = "/srv/share" },
            EnvFrom = { ["UPSTREAM_TOKEN"] = DeclaredSource },
            SecretFiles = { ["API_KEY"] = secretFile },
            Dlp = { Results = "off" },
        });
        config.Groups["readers"] = new GroupConfig { ReadOnly = true, Servers = { ["env"] = ["*"] } };
        _portal = await PortalFixture.StartAsync(config, dir);
    }

    [OneTimeTearDown]
    public async Task TearDown()
    {
        await _portal.DisposeAsync();
        Environment.SetEnvironmentVariable(PortalSecret, null);
        Environment.SetEnvironmentVariable(DeclaredSource, null);
    }

    [Test]
    public async Task StdioUpstream_SeesOnlyPathAndDeclaredVariables()
    {
        var client = await _portal.ConnectAsync(_portal.CreateToken("readers"));
        var result = await client.CallToolAsync("env_print_env", new Dictionary<string, object?>());
        Assert.That(result.IsError, Is.Not.True);
        var text = ((TextContentBlock)result.Content[0]).Text;
        var env = JsonSerializer.Deserialize<Dictionary<string, string>>(text)!;

        Assert.That(text, Does.Not.Contain("portal-secret-4f9a"));
        Assert.That(env.Keys, Does.Not.Contain(PortalSecret).And.Not.Contain(DeclaredSource).And.Not.Contain("HOME"));
        Assert.That(env["PATH"], Is.EqualTo(Environment.GetEnvironmentVariable("PATH")));
        Assert.That(env["ROOT"], Is.EqualTo("/srv/share"));
        Assert.That(env["UPSTREAM_TOKEN"], Is.EqualTo("upstream-token-77c1"));
        Assert.That(env["API_KEY"], Is.EqualTo("file-secret-91d2"));
        Assert.That(env.Keys.Except(["PATH", "ROOT", "UPSTREAM_TOKEN", "API_KEY"]), Is.Empty, "nothing else is inherited");
    }

    [Test]
    public async Task MissingEnvFromVariable_MarksUpstreamDownNamingIt()
    {
        var config = PortalFixture.Config1();
        config.Upstreams.Add(new UpstreamConfig
        {
            Id = "broken", Command = "node", Args = [Path.Combine(NodeScripts.Folder, "env-server.mjs")], TimeoutSeconds = 30,
            EnvFrom = { ["TOKEN"] = "SHADOWMCP_TEST_NOT_SET_ANYWHERE" },
        });
        await using var portal = await PortalFixture.StartAsync(config);
        await portal.Registry.EnsureRefreshedAsync();
        var status = portal.Registry.Status().Single();
        Assert.That(status.Healthy, Is.False);
        Assert.That(status.LastError, Does.Contain("SHADOWMCP_TEST_NOT_SET_ANYWHERE"));
    }
}
