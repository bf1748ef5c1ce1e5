using ShadowMcp.Core.Findings;
using ShadowMcp.Enforcer.Policy;

namespace ShadowMcp.Enforcer.Tests.Policy;

public sealed class PolicyLoaderTests
{
    [Test]
    public void Parse_NoBases_BlocksEveryBasisButShape()
    {
        var p = PolicyLoader.Parse("version: 1\n", "p.yaml");

        Assert.That(p.Select.Bases, Is.EquivalentTo(new[]
        {
            FindingBasis.Content, FindingBasis.Decrypted, FindingBasis.Probe, FindingBasis.Host, FindingBasis.Name, FindingBasis.Other,
        }));
    }

    [Test]
    public void Parse_Bases_ReadsTheWireNames()
    {
        var p = PolicyLoader.Parse("select:\n  bases: [content, Decrypted, shape]\n", "p.yaml");

        Assert.That(p.Select.Bases, Is.EquivalentTo(new[] { FindingBasis.Content, FindingBasis.Decrypted, FindingBasis.Shape }));
    }

    [Test]
    public void Parse_FullPolicy_ReadsEverySection()
    {
        var p = PolicyLoader.Parse("""
            version: 1
            select:
              verdicts: [shadow, suspected]
              min_confidence: 0.7
              min_level: high
            exceptions:
              hosts: ["*.lab.example"]
              cidrs: [10.0.0.0/8, 192.0.2.1]
              findings: ["10.1.2.3:80/mcp"]
            mode: redirect
            ttl: 7d
            portal:
              url: https://portal.corp.example/mcp
              addresses: [10.9.0.10, "fd00::10"]
            allow:
              - host: github-mcp.corp.example
                port: 443
            backends:
              - type: nftables
                action: reset
              - type: unbound
                path: /etc/unbound/unbound.conf.d/shadowmcp.conf
            """, "p.yaml");

        Assert.That(p.Select.Verdicts, Is.EqualTo(new[] { Verdict.Shadow, Verdict.Suspected }));
        Assert.That(p.Select.MinConfidence, Is.EqualTo(0.7));
        Assert.That(p.Mode, Is.EqualTo(EnforcementMode.Redirect));
        Assert.That(p.Ttl, Is.EqualTo(TimeSpan.FromDays(7)));
        Assert.That(p.Portal.Hosts, Is.EqualTo(new[] { "portal.corp.example" }));
        Assert.That(p.Exceptions.ExcludesAddress("10.200.0.1"), Is.True);
        Assert.That(p.Exceptions.ExcludesAddress("192.0.2.1"), Is.True);
        Assert.That(p.Exceptions.ExcludesHost("a.lab.example"), Is.True);
        Assert.That(p.Allow.Single().Port, Is.EqualTo(443));
        Assert.That(p.Backends.Select(b => b.Name), Is.EqualTo(new[] { "nftables", "unbound" }));
    }

    [TestCase("select:\n  bases: [magic]\n", "p.yaml:2:11: basis 'magic' is not one of content, decrypted, host, name, shape, other")]
    [TestCase("select:\n  bases: [probe]\n", "p.yaml:2:11: basis 'probe' is judged by the MCP content the probe read: list 'content'")]
    [TestCase("select:\n  bases: []\n", "p.yaml:2:10: bases is empty")]
    [TestCase("mode: drop\n", "p.yaml:1:7: mode 'drop' is not block or redirect")]
    [TestCase("select:\n  min_confidence: 2\n", "p.yaml:2:19: min_confidence must be a number from 0 to 1")]
    [TestCase("select:\n  verdicts: [sanctioned]\n", "p.yaml:2:14: sanctioned findings can never be blocked")]
    [TestCase("ttl: 3 weeks\n", "p.yaml:1:6: ttl '3 weeks' is not like")]
    [TestCase("exceptions:\n  cidrs: [10.0.0.0/33]\n", "p.yaml:2:11: '10.0.0.0/33' is not a CIDR")]
    [TestCase("backends:\n  - type: iptables\n", "p.yaml:2:11: backend type 'iptables' is not one of")]
    [TestCase("backends:\n  - type: nftables\n    acton: drop\n", "p.yaml:3:5: unknown key 'acton' in a nftables backend")]
    [TestCase("backends:\n  - type: hosts\n    path: /a\n  - type: hosts\n    path: /b\n", "p.yaml:4:5: backend name 'hosts' is used twice")]
    [TestCase("mode: redirect\n", "mode redirect needs portal.addresses")]
    [TestCase("portal:\n  addresses: [portal.example]\n", "p.yaml:2:15: 'portal.example' is not an IP address")]
    [TestCase("allow:\n  - address: 10.0.0.1\n    path: /mcp/../admin\n", "p.yaml:3:11: '/mcp/../admin' is not a plain path")]
    [TestCase("allow:\n  - address: 10.0.0.1\n    path: mcp\n", "p.yaml:3:11: 'mcp' is not a plain path starting with '/'")]
    [TestCase("select: [1\n", "p.yaml:")]
    [TestCase("blocklist: []\n", "p.yaml:1:1: unknown key 'blocklist' in the policy")]
    [TestCase("backends:\n  - type: squid\n    path: /a\n    reconfigure_wait_ms: soon\n",
        "p.yaml:4:26: reconfigure_wait_ms")]
    public void Parse_BadPolicy_GivesFileLineError(string yaml, string expected)
    {
        var ex = Assert.Throws<PolicyException>(() => PolicyLoader.Parse(yaml, "p.yaml"));
        Assert.That(ex!.Message, Does.Contain(expected));
    }

    [Test]
    public void LoadAllowFile_Entries_BecomeSanctionedEndpoints()
    {
        var path = Path.Combine(Path.GetTempPath(), $"allow-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, "- host: '*.corp.example'\n  reason: corp\n- address: 10.0.0.1\n  port: 8443\n");
        try
        {
            var list = PolicyLoader.LoadAllowFile(path);
            Assert.That(list, Has.Count.EqualTo(2));
            Assert.That(list[0].Matches(new Endpoint(null, null, "x.corp.example", null), []), Is.True);
            Assert.That(list[1].Reason, Does.Contain(":3:"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void LoadFile_Missing_SaysWhichFile()
    {
        var ex = Assert.Throws<PolicyException>(() => PolicyLoader.LoadFile("/nonexistent/policy.yaml"));
        Assert.That(ex!.Message, Does.StartWith("/nonexistent/policy.yaml"));
    }
}
