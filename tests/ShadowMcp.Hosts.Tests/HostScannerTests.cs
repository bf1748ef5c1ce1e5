using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using ShadowMcp.Core.Findings;
using ShadowMcp.Core.Serialization;
using ShadowMcp.Hosts.Agents;
using ShadowMcp.Hosts.Inventory;
using ShadowMcp.Hosts.Output;
using ShadowMcp.Hosts.Verdicts;

namespace ShadowMcp.Hosts.Tests;

/// <summary>
/// Fake homes with every catalogued agent's config file in its real format, laid out as on Linux, macOS and Windows
/// and read from a given root: every declared server is listed once with its agent and package or URL.
/// </summary>
public sealed class HostScannerTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 4, 12, 0, 0, TimeSpan.Zero);

    internal static HostInventory Scan(FakeHome home, HostOs os) => new HostScanner(new FakeTimeProvider(Now)).Scan(new HostScanOptions
    {
        Homes = [home.Home],
        Os = os,
        SystemRoot = home.System,
        Projects = [home.Project],
        HostName = "laptop-7",
    });

    [TestCase(HostOs.Linux)]
    [TestCase(HostOs.MacOs)]
    [TestCase(HostOs.Windows)]
    public void Scan_EveryAgentsConfig_ListsEachDeclaredServerOnce(HostOs os)
    {
        using var home = new FakeHome(os);
        var inventory = Scan(home, os);

        Assert.That(inventory.Problems, Is.Empty);
        var found = inventory.Servers.Select(s => (s.Agent, s.Name, s.Identity)).ToList();
        Assert.That(found, Is.EquivalentTo(home.Servers), "each declared server once, with its agent and package or URL");
        Assert.That(found.Select(f => f.Agent).Distinct().Count(), Is.GreaterThanOrEqualTo(os == HostOs.Windows ? 18 : 17));
        var zedGit = inventory.Servers.Single(s => s.Name == "zed-git");
        Assert.That(zedGit.ConfigPath, Does.StartWith(home.Home));
    }

    [Test]
    public void Scan_FoldersMovedByEnvironment_AreReadBesideTheDefaults()
    {
        using var home = new FakeHome(HostOs.Linux);
        var codexHome = Path.Combine(home.Root, "elsewhere", "codex");
        var copilotHome = Path.Combine(home.Root, "elsewhere", "copilot");
        FakeHome.WriteAt(codexHome, "config.toml", """
            [mcp_servers.moved-codex]
            command = "npx"
            args = ["-y", "@acme/moved-codex-mcp@2.1.0"]
            """);
        FakeHome.WriteAt(copilotHome, "mcp-config.json",
            """{ "mcpServers": { "moved-copilot": { "type": "http", "url": "https://mcp.moved.example/mcp" } } }""");

        var inventory = new HostScanner(new FakeTimeProvider(Now)).Scan(new HostScanOptions
        {
            Homes = [home.Home],
            Os = HostOs.Linux,
            MovedFolders = new Dictionary<string, string> { ["CODEX_HOME"] = codexHome, ["COPILOT_HOME"] = copilotHome },
        });

        var found = inventory.Servers.Select(s => (s.Agent, s.Name, s.Identity)).ToList();
        Assert.That(found, Does.Contain(("Codex CLI", "moved-codex", "npm:@acme/moved-codex-mcp@2.1.0")));
        Assert.That(found, Does.Contain(("GitHub Copilot CLI", "moved-copilot", "https://mcp.moved.example/mcp")));
        Assert.That(found.Count(f => f.Name == "codex-docker"), Is.EqualTo(1), "the default ~/.codex is still read");
    }

    [Test]
    public void Scan_VsCodeProfileFolders_AreReadButNotThroughSymlinks()
    {
        using var home = new FakeHome(HostOs.Linux);
        var profiles = Path.Combine(home.Home, ".config/Code/User/profiles");
        // A profile folder that is a symlink back up the tree must not be followed (a loop, or a path out of home).
        Directory.CreateSymbolicLink(Path.Combine(profiles, "loop"), home.Home);

        var inventory = Scan(home, HostOs.Linux);

        Assert.That(inventory.Servers.Count(s => s.Name == "vscode-profile-sentry"), Is.EqualTo(1));
        Assert.That(inventory.FilesRead, Has.None.Contains("/profiles/loop/"));
    }

    [Test]
    public void Scan_LayoutOfAnotherPlatform_FindsNothingOfTheOthersPlatformPaths()
    {
        using var home = new FakeHome(HostOs.Windows);
        var asLinux = Scan(home, HostOs.Linux);
        Assert.That(asLinux.Servers.Select(s => s.Agent), Has.None.EqualTo("Claude Desktop").And.None.EqualTo("Visual Studio"),
            "a Windows profile read with the Linux layout has no ~/.config/Claude");
    }

    [Test]
    public void Scan_DisabledEntries_AreListedAsDisabled()
    {
        using var home = new FakeHome(HostOs.Linux);
        var servers = Scan(home, HostOs.Linux).Servers.ToDictionary(s => s.Name);
        Assert.Multiple(() =>
        {
            Assert.That(servers["q-docs"].Enabled, Is.False, "Amazon Q \"disabled\": true");
            Assert.That(servers["codex-off"].Enabled, Is.False, "Codex enabled = false");
            Assert.That(servers["goose-sse"].Enabled, Is.False, "Goose enabled: false");
            Assert.That(servers["cline-brave"].Enabled, Is.True);
            Assert.That(servers["cc-github"].Enabled, Is.True);
        });
    }

    [Test]
    public void Scan_LaunchDetails_NameLauncherPackageAndTransport()
    {
        using var home = new FakeHome(HostOs.Windows);
        var servers = Scan(home, HostOs.Windows).Servers.ToDictionary(s => s.Name);
        Assert.Multiple(() =>
        {
            Assert.That(servers["desktop-fs"].Package!.Launcher, Is.EqualTo("npx"), "cmd /c npx is looked through");
            Assert.That(servers["codex-docker"].Package!.Launcher, Is.EqualTo("docker run"));
            Assert.That(servers["proj-dnx"].Package!.Launcher, Is.EqualTo("dotnet dnx"));
            Assert.That(servers["cursor-fetch"].Package!.Launcher, Is.EqualTo("uvx"));
            Assert.That(servers["roo-sse"].Transport, Is.EqualTo(Transports.SseLegacy));
            Assert.That(servers["gemini-gh"].Transport, Is.EqualTo(Transports.StreamableHttp));
            Assert.That(servers["cc-github"].Transport, Is.EqualTo("stdio"));
            Assert.That(servers["cc-linear"].Scope, Is.EqualTo("local:/nonexistent/checkout"));
            Assert.That(servers["corp-portal"].Scope, Is.EqualTo("managed"));
            Assert.That(servers["proj-pw"].Scope, Is.EqualTo("project"));
        });
    }

    [Test]
    public void Scan_PlantedSecrets_AreFindingsOfTheirOwn_AndNoOutputCarriesAValue()
    {
        using var home = new FakeHome(HostOs.Linux);
        var inventory = Scan(home, HostOs.Linux);
        Assert.That(inventory.Secrets.Select(s => (s.Agent, s.Server, s.Location, s.Kind)), Is.EquivalentTo(home.Secrets),
            "every planted credential, and not the ${input:...} reference");

        var findings = HostFindings.Build(inventory, HostVerdicts.None);
        var secretFindings = findings.Where(f => f.Evidence.Any(e => e.Rule == HostFindings.SecretRule)).ToList();
        Assert.That(secretFindings, Has.Count.EqualTo(home.Secrets.Count));
        var report = HostReportDocument.From(inventory, findings, HostVerdicts.None);
        var json = JsonSerializer.Serialize(report, JsonDefaults.Indented);
        var table = new StringWriter();
        HostTableWriter.Write(report, table);
        foreach (var secret in PlantedSecrets.All)
        {
            Assert.That(json, Does.Not.Contain(secret), "JSON output");
            Assert.That(table.ToString(), Does.Not.Contain(secret), "table output");
            Assert.That(string.Join("\n", inventory.Servers.SelectMany(s => s.Args)), Does.Not.Contain(secret), "an argument that is a secret is not kept");
        }
        Assert.That(json, Does.Contain(SecretHit.Redacted));
    }

    [Test]
    public void Findings_LocalServers_AreStdioFindingsKeyedByHostAndPackage()
    {
        using var home = new FakeHome(HostOs.MacOs);
        var findings = HostFindings.Build(Scan(home, HostOs.MacOs), HostVerdicts.None);
        var github = findings.Single(f => f.Endpoint.Path == "/stdio/npm/@modelcontextprotocol/server-github");
        Assert.Multiple(() =>
        {
            Assert.That(github.Transport, Is.EqualTo("stdio"));
            Assert.That(github.Endpoint.Host, Is.EqualTo("laptop-7"));
            Assert.That(github.ClientApps, Is.EquivalentTo(new[] { "Claude Code", "Goose" }), "one finding, both agents that declare it");
            Assert.That(github.Evidence, Has.Count.EqualTo(2));
            Assert.That(github.Verdict, Is.EqualTo(Verdict.Shadow));
        });
        var remote = findings.Single(f => f.Endpoint.Host == "mcp.linear.app");
        Assert.That((remote.Endpoint.Port, remote.Endpoint.Path), Is.EqualTo((443, "/mcp")));
    }

    [Test]
    public void Verdicts_PortalUpstreamsAndSanctionedPackages_AreSanctioned_RestShadow()
    {
        using var home = new FakeHome(HostOs.Linux);
        var verdicts = new HostVerdicts(
            [new SanctionedEndpoint("mcp.corp.example", null, null, null, "the portal"), new SanctionedEndpoint("*.githubcopilot.com", null, 443, null, "upstream github")],
            [
                SanctionedPackage.Parse("npm:@modelcontextprotocol/server-github", null, null),
                SanctionedPackage.Parse("pypi:mcp_server_fetch", ">=2025.1 <2026", null),
                SanctionedPackage.Parse("npm:@playwright/mcp", "^0.0.30", null),
                SanctionedPackage.Parse("oci:ghcr.io/github/github-mcp-server", "~0.8.0", null),
            ]);
        var byName = Scan(home, HostOs.Linux).Servers.ToDictionary(s => s.Name, s => verdicts.Judge(s));
        Assert.Multiple(() =>
        {
            Assert.That(byName["corp-portal"].Verdict, Is.EqualTo(Verdict.Sanctioned), "the portal's URL");
            Assert.That(byName["vscode-gh"].Verdict, Is.EqualTo(Verdict.Sanctioned), "an upstream by wildcard host");
            Assert.That(byName["cc-github"].Verdict, Is.EqualTo(Verdict.Sanctioned), "sanctioned package, any version");
            Assert.That(byName["cursor-fetch"].Verdict, Is.EqualTo(Verdict.Sanctioned), "pinned inside the range; PyPI names normalised");
            Assert.That(byName["Browser search"].Verdict, Is.EqualTo(Verdict.Sanctioned), "@playwright/mcp@0.0.30 in ^0.0.30");
            Assert.That(byName["proj-pw"].Verdict, Is.EqualTo(Verdict.Shadow), "@latest is not pinned, so not known to be in range");
            Assert.That(byName["proj-pw"].Reason, Does.Contain("does not pin"));
            Assert.That(byName["codex-docker"].Verdict, Is.EqualTo(Verdict.Shadow), "v0.9.0 is outside ~0.8.0");
            Assert.That(byName["codex-docker"].Reason, Does.Contain("outside"));
            Assert.That(byName["lm-hf"].Verdict, Is.EqualTo(Verdict.Shadow));
            Assert.That(byName["proj-local"].Verdict, Is.EqualTo(Verdict.Shadow));
        });
    }

    [Test]
    public void DefaultHomes_AsRoot_AreEveryUsersHome_ElseYourOwn()
    {
        var own = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        var homes = HostScanner.DefaultHomes(HostOs.Linux);
        Assert.That(homes[0], Is.EqualTo(own));
        var others = Directory.Exists("/home") ? Directory.GetDirectories("/home") : [];
        if (Environment.IsPrivilegedProcess) Assert.That(homes, Is.SupersetOf(others), "root reads every home under /home");
        else Assert.That(homes, Is.EqualTo(new[] { own }), "a user reads only their own home");
    }
}
