using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ShadowMcp.Portal.Config;
using ShadowMcp.Portal.Gateway;
using ShadowMcp.Portal.Tests.Fixtures;

namespace ShadowMcp.Portal.Tests.Dlp;

/// <summary>DLP through the live portal, both directions, per-server actions.</summary>
[Category("Integration")]
public sealed class DlpProxyTests
{
    private const string AwsKey = "AKIAIOSFODNN7EXAMPLE";
    private UpstreamServer _strict = null!;
    private UpstreamServer _redacting = null!;
    private UpstreamServer _logging = null!;
    private PortalFixture _portal = null!;

    [OneTimeSetUp]
    public async Task SetUp()
    {
        _strict = await UpstreamServer.StartAsync();
        _redacting = await UpstreamServer.StartAsync();
        _logging = await UpstreamServer.StartAsync();
        var config = PortalFixture.Config1(("strict", _strict.McpUrl), ("redacting", _redacting.McpUrl), ("logging", _logging.McpUrl));
        config.Upstreams[0].Dlp = new DlpSettings { Arguments = "block", Results = "block" };
        config.Upstreams[1].Dlp = new DlpSettings { Arguments = "redact", Results = "redact" };
        config.Upstreams[2].Dlp = new DlpSettings { Arguments = "log", Results = "log" };
        config.Portal.AuditArguments = true;
        config.Groups["dev"] = new GroupConfig { Servers = { ["strict"] = ["*"], ["redacting"] = ["*"], ["logging"] = ["*"] } };
        _portal = await PortalFixture.StartAsync(config);
    }

    [OneTimeTearDown]
    public async Task TearDown()
    {
        await _portal.DisposeAsync();
        await _strict.DisposeAsync();
        await _redacting.DisposeAsync();
        await _logging.DisposeAsync();
    }

    [Test]
    public async Task Arguments_Block_NamesDetectorNotSecretAndNeverReachesUpstream()
    {
        var client = await _portal.ConnectAsync(_portal.CreateToken("dev"));
        var e = Assert.ThrowsAsync<McpProtocolException>(async () =>
            await client.CallToolAsync("strict_echo", new Dictionary<string, object?> { ["text"] = $"use {AwsKey}" }));
        Assert.That((int)e!.ErrorCode, Is.EqualTo(PortalErrors.DlpBlocked));
        Assert.That(e.Message, Does.Contain("aws-access-key"));
        Assert.That(e.Message, Does.Not.Contain(AwsKey));
        Assert.That(_strict.ReceivedArguments, Is.Empty);
    }

    [Test]
    public async Task Results_Block_NamesDetectors()
    {
        var client = await _portal.ConnectAsync(_portal.CreateToken("dev"));
        var e = Assert.ThrowsAsync<McpProtocolException>(async () => await client.CallToolAsync("strict_leak", new Dictionary<string, object?>()));
        Assert.That(e!.Message, Does.Contain("aws-access-key").And.Contain("email"));
        Assert.That(e.Message, Does.Not.Contain(AwsKey));
    }

    [Test]
    public async Task Arguments_Redact_UpstreamSeesPlaceholder()
    {
        var client = await _portal.ConnectAsync(_portal.CreateToken("dev"));
        var result = await client.CallToolAsync("redacting_echo", new Dictionary<string, object?> { ["text"] = "card 4111 1111 1111 1111" });
        Assert.That(((TextContentBlock)result.Content[0]).Text, Is.EqualTo("echo: card [REDACTED:card-number]"));
        Assert.That(_redacting.ReceivedArguments.Last(), Does.Not.Contain("4111"));
    }

    [Test]
    public async Task Results_Redact_ClientSeesPlaceholder()
    {
        var client = await _portal.ConnectAsync(_portal.CreateToken("dev"));
        var result = await client.CallToolAsync("redacting_leak", new Dictionary<string, object?>());
        var text = ((TextContentBlock)result.Content[0]).Text;
        Assert.That(text, Does.Contain("[REDACTED:aws-access-key]").And.Contain("[REDACTED:email]"));
        Assert.That(text, Does.Not.Contain(AwsKey));
    }

    [Test]
    public async Task Log_PassesThroughAndRecordsHitsInAudit()
    {
        var client = await _portal.ConnectAsync(_portal.CreateToken("dev"));
        var result = await client.CallToolAsync("logging_leak", new Dictionary<string, object?> { ["text"] = "ssn 123-45-6789" });
        Assert.That(((TextContentBlock)result.Content[0]).Text, Does.Contain(AwsKey));
        await _portal.FlushAuditAsync();
        using var db = _portal.Store.Open();
        var row = db.Audit.Where(a => a.Tool == "logging_leak").OrderByDescending(a => a.Seq).First();
        Assert.That(row.DlpHits, Is.EqualTo("arguments:us-ssn;result:aws-access-key,email"));
        Assert.That(row.Outcome, Is.EqualTo("ok"));
    }

    [Test]
    public async Task AuditArguments_AreStoredRedacted()
    {
        var client = await _portal.ConnectAsync(_portal.CreateToken("dev"));
        await client.CallToolAsync("logging_echo", new Dictionary<string, object?> { ["text"] = $"key {AwsKey}" });
        await _portal.FlushAuditAsync();
        using var db = _portal.Store.Open();
        var row = db.Audit.Where(a => a.Tool == "logging_echo").OrderByDescending(a => a.Seq).First();
        Assert.That(row.Arguments, Is.EqualTo("{\"text\":\"key [REDACTED:aws-access-key]\"}"));
        Assert.That(row.ArgumentBytes, Is.GreaterThan(0));
    }
}
