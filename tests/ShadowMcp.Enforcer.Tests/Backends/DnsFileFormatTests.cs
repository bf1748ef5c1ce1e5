using ShadowMcp.Enforcer.Planning;
using ShadowMcp.Enforcer.Tests.Support;

namespace ShadowMcp.Enforcer.Tests.Backends;

/// <summary>What the file backends write, and that each reads its own output back as the same state.</summary>
public sealed class DnsFileFormatTests
{
    private Harness _h = null!;

    [SetUp]
    public void SetUp() => _h = new Harness("""
        mode: redirect
        portal:
          url: https://portal.corp.example/
          addresses: [10.9.0.10, "fd00::10"]
        backends:
          - type: rpz
            path: $DIR/shadowmcp.rpz
            zone: rpz.corp
          - type: dnsmasq
            path: $DIR/dnsmasq.conf
          - type: hosts
            path: $DIR/hosts
          - type: unbound
            path: $DIR/unbound.conf
            reload: []
        """);

    [TearDown]
    public void TearDown() => _h.Dispose();

    [Test]
    public async Task Apply_RedirectMode_WritesPortalAnswersInEachFormat()
    {
        File.WriteAllText(_h.PathIn("hosts"), "127.0.0.1 localhost\n::1 localhost\n");

        var report = await _h.Engine.ApplyAsync([TestFindings.Shadow(null, null, "Rogue.Example.")], [], CancellationToken.None);

        Assert.That(report.Failed, Is.False);
        var rpz = File.ReadAllText(_h.PathIn("shadowmcp.rpz"));
        Assert.That(rpz, Does.Contain("$ORIGIN rpz.corp.").And.Contain("rogue.example IN A 10.9.0.10")
            .And.Contain("*.rogue.example IN AAAA fd00::10"));
        Assert.That(File.ReadAllText(_h.PathIn("dnsmasq.conf")), Does.Contain("address=/rogue.example/10.9.0.10\naddress=/rogue.example/fd00::10\n"));
        var hosts = File.ReadAllText(_h.PathIn("hosts"));
        Assert.That(hosts, Does.StartWith("127.0.0.1 localhost\n::1 localhost\n# BEGIN shadowmcp"));
        Assert.That(hosts, Does.Contain("10.9.0.10 rogue.example\nfd00::10 rogue.example\n# END shadowmcp"));
        Assert.That(File.ReadAllText(_h.PathIn("unbound.conf")), Does.Contain("local-zone: \"rogue.example.\" redirect")
            .And.Contain("local-data: \"rogue.example. 60 IN AAAA fd00::10\""));

        var again = await _h.Engine.PlanAsync([TestFindings.Shadow(null, null, "rogue.example")], [], CancellationToken.None);
        Assert.That(again.HasChanges, Is.False, "each file reads back as exactly what was written");
    }

    [Test]
    public async Task Apply_BlockModeThenEmpty_LeavesHostsFileAsBefore()
    {
        _h.UsePolicy("""
            backends:
              - type: rpz
                path: $DIR/shadowmcp.rpz
              - type: hosts
                path: $DIR/hosts
            """);
        const string original = "127.0.0.1 localhost\n10.0.0.2 printer\n";
        File.WriteAllText(_h.PathIn("hosts"), original);

        await _h.Engine.ApplyAsync([TestFindings.Shadow(null, null, "rogue.example")], [], CancellationToken.None);
        Assert.That(File.ReadAllText(_h.PathIn("shadowmcp.rpz")), Does.Contain("rogue.example IN CNAME .\n*.rogue.example IN CNAME ."));
        Assert.That(File.ReadAllText(_h.PathIn("hosts")), Does.Contain("0.0.0.0 rogue.example\n:: rogue.example"));

        await _h.Engine.ApplyAsync([], [], CancellationToken.None);

        Assert.That(File.ReadAllText(_h.PathIn("hosts")), Is.EqualTo(original));
        Assert.That(await _h.Backends[0].ReadAsync(CancellationToken.None), Is.Empty);
    }

    [Test]
    public async Task Apply_LeavesNoTempFilesBehind()
    {
        await _h.Engine.ApplyAsync([TestFindings.Shadow(null, null, "rogue.example")], [], CancellationToken.None);

        Assert.That(Directory.GetFiles(_h.Dir, "*.tmp"), Is.Empty);
        Assert.That(BlockActions.RedirectTargets("redirect=10.9.0.10,fd00::10"), Is.EqualTo(new[] { "10.9.0.10", "fd00::10" }));
    }

    [Test]
    public async Task Rollback_EveryOwnedFile_IsByteExact()
    {
        // Hand-written files in each format, with a BOM, CRLF, odd spacing and no final newline: a rollback puts
        // back these bytes, not a re-rendering of what they meant. An absent file is absent again.
        var files = new Dictionary<string, byte[]?>
        {
            ["shadowmcp.rpz"] =
                [0xEF, 0xBB, 0xBF, .. "$TTL 60\r\n@ IN SOA localhost. root.localhost. 1 1h 15m 1w 60\r\n"u8,
                    .. "  old.example IN CNAME ."u8],
            ["dnsmasq.conf"] = "# kept by hand\naddress=/old.example/\n\n\n"u8.ToArray(),
            ["unbound.conf"] = null,
        };
        foreach (var (name, bytes) in files)
            if (bytes is not null) File.WriteAllBytes(_h.PathIn(name), bytes);

        var shadow = TestFindings.Shadow(null, null, "rogue.example");
        var report = await _h.Engine.ApplyAsync([shadow], [], CancellationToken.None);
        Assert.That(report.Failed, Is.False, string.Join("; ", report.Actions.Select(a => a.Error)));
        Assert.That(File.ReadAllText(_h.PathIn("dnsmasq.conf")), Does.Contain("rogue.example"));

        await _h.Engine.RollbackAsync(null, CancellationToken.None);

        foreach (var (name, bytes) in files)
        {
            if (bytes is null) Assert.That(File.Exists(_h.PathIn(name)), Is.False, name);
            else Assert.That(File.ReadAllBytes(_h.PathIn(name)), Is.EqualTo(bytes), name);
        }
    }
}
