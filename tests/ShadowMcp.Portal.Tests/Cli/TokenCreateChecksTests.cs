using System.CommandLine;
using ShadowMcp.Core;
using ShadowMcp.Portal.Cli;
using ShadowMcp.Portal.Store;
using ShadowMcp.Portal.Tests.Fixtures;

namespace ShadowMcp.Portal.Tests.Cli;

/// <summary>`portal token create` issues tokens only for groups the config defines, and only with a positive lifetime.</summary>
public sealed class TokenCreateChecksTests
{
    private string _db = null!;
    private string _config = null!;

    [SetUp]
    public void SetUp()
    {
        var dir = TempDir.Create();
        _db = Path.Combine(dir, "cli.db");
        _config = Path.Combine(dir, "portal.json");
        File.WriteAllText(_config, """{ "groups": { "engineering": { "servers": {} }, "readers": { "readOnly": true, "servers": {} } } }""");
    }

    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var root = new RootCommand("test");
        foreach (var c in PortalCommands.Create(stdout, stderr)) root.Add(c);
        var code = root.Parse(args).Invoke(new InvocationConfiguration { Output = stdout, Error = stderr });
        return (code, stdout.ToString(), stderr.ToString());
    }

    private int TokenRows()
    {
        using var db = new PortalStore(_db).Open();
        return db.ApiTokens.Count();
    }

    [TestCase("Engineering", "engineering")]
    [TestCase("engineerign", "engineering")]
    [TestCase("reader", "readers")]
    public void UnknownGroup_NearMiss_IsRefusedWithHint(string group, string hint)
    {
        var (code, output, err) = Run("portal", "token", "create", "--group", group, "--config", _config, "--db", _db);
        Assert.That(code, Is.EqualTo((int)ExitCode.Usage));
        Assert.That(err, Does.Contain($"unknown group '{group}'").And.Contain($"did you mean '{hint}'"));
        Assert.That(output, Does.Not.Contain("smcp_"));
        Assert.That(TokenRows(), Is.Zero);
    }

    [Test]
    public void UnknownGroup_NothingClose_ListsGroups()
    {
        var (code, _, err) = Run("portal", "token", "create", "--group", "admins", "--config", _config, "--db", _db);
        Assert.That(code, Is.EqualTo((int)ExitCode.Usage));
        Assert.That(err, Does.Contain("unknown group 'admins'").And.Contain("engineering, readers"));
    }

    [Test]
    public void WithoutConfig_IsRefused()
    {
        var (code, _, err) = Run("portal", "token", "create", "--group", "engineering", "--db", _db);
        Assert.That(code, Is.EqualTo((int)ExitCode.Usage));
        Assert.That(err, Does.Contain("--config"));
    }

    [TestCase("0")]
    [TestCase("-1")]
    public void NonPositiveExpiry_IsRefused(string days)
    {
        var (code, output, err) = Run("portal", "token", "create", "--group", "engineering", "--expires-days", days, "--config", _config, "--db", _db);
        Assert.That(code, Is.Not.Zero);
        Assert.That(err, Does.Contain("--expires-days must be a positive"));
        Assert.That(output, Does.Not.Contain("smcp_"));
    }

    [Test]
    public void ExactGroupAndPositiveExpiry_CreatesToken()
    {
        var (code, output, _) = Run("portal", "token", "create", "--group", "engineering", "--expires-days", "7", "--config", _config, "--db", _db);
        Assert.That(code, Is.Zero);
        Assert.That(output, Does.Contain("group: engineering").And.Contain("expires: "));
        Assert.That(TokenRows(), Is.EqualTo(1));
    }
}
