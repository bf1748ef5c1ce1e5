using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ShadowMcp.Portal.Config;
using ShadowMcp.Portal.Gateway;
using ShadowMcp.Portal.Tests.Fixtures;

namespace ShadowMcp.Portal.Tests.Dlp;

/// <summary>
/// What leaked before: secrets in JSON numbers and property names of structured content, in upstream JSON-RPC
/// error messages, and in obfuscated arguments; and dlp-blocked audit rows that did not name the detector.
/// </summary>
[Category("Integration")]
public sealed class DlpPipelineTests
{
    private UpstreamServer _upstream = null!;
    private PortalFixture _portal = null!;

    [OneTimeSetUp]
    public async Task SetUp()
    {
        _upstream = await UpstreamServer.StartAsync(
            [.. UpstreamServer.DefaultTools(), UpstreamServer.MakeTool("fail", "fails"), UpstreamServer.MakeTool("structured", "structured")]);
        var config = PortalFixture.Config1(("strict", _upstream.McpUrl), ("redacting", _upstream.McpUrl));
        config.Upstreams[0].Dlp = new DlpSettings { Arguments = "block", Results = "block" };
        config.Upstreams[1].Dlp = new DlpSettings { Arguments = "redact", Results = "redact" };
        config.Groups["dev"] = new GroupConfig { Servers = { ["strict"] = ["*"], ["redacting"] = ["*"] } };
        _portal = await PortalFixture.StartAsync(config);
    }

    [OneTimeTearDown]
    public async Task TearDown()
    {
        await _portal.DisposeAsync();
        await _upstream.DisposeAsync();
    }

    [TestCase("4111\u200b1111\u200b1111\u200b1111", "card-number")]
    [TestCase("\uff14\uff11\uff11\uff11 1111 1111 1111 exp 12/29", "card-number")]
    [TestCase("ssn 123.45.6789", "us-ssn")]
    [TestCase("akiaiosfodnn7example", "aws-access-key")]
    [TestCase("aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "aws-secret-key")]
    [TestCase("SECRET wJalrXUtnFEMI/K7MD\u200bENG/bPxRfiCYEXAMPLEKEY", "aws-secret-key")]
    public async Task ObfuscatedArguments_AreBlocked_AndTheAuditRowNamesTheDetector(string text, string detector)
    {
        var client = await _portal.ConnectAsync(_portal.CreateToken("dev"));
        var before = _upstream.ReceivedArguments.Count;
        var e = Assert.ThrowsAsync<McpProtocolException>(async () =>
            await client.CallToolAsync("strict_echo", new Dictionary<string, object?> { ["text"] = text }));
        Assert.That((int)e!.ErrorCode, Is.EqualTo(PortalErrors.DlpBlocked));
        Assert.That(_upstream.ReceivedArguments, Has.Count.EqualTo(before));
        await _portal.FlushAuditAsync();
        using var db = _portal.Store.Open();
        var row = db.Audit.Where(a => a.Tool == "strict_echo").OrderByDescending(a => a.Seq).First();
        Assert.That(row.Outcome, Is.EqualTo("dlp-blocked"));
        Assert.That(row.DlpHits, Is.EqualTo($"arguments:{detector}"));
    }

    [Test]
    public async Task StructuredContent_NumberAndPropertyName_AreRedacted()
    {
        var client = await _portal.ConnectAsync(_portal.CreateToken("dev"));
        var result = await client.CallToolAsync("redacting_structured", new Dictionary<string, object?>());
        var structured = result.StructuredContent!.Value.GetRawText();
        Assert.That(structured, Does.Not.Contain("4111111111111111").And.Not.Contain("AKIAIOSFODNN7EXAMPLE"));
        Assert.That(structured, Does.Contain("[REDACTED:card-number]").And.Contain("[REDACTED:aws-access-key]"));
    }

    [Test]
    public async Task StructuredContent_InBlockMode_IsBlocked()
    {
        var client = await _portal.ConnectAsync(_portal.CreateToken("dev"));
        var e = Assert.ThrowsAsync<McpProtocolException>(async () =>
            await client.CallToolAsync("strict_structured", new Dictionary<string, object?>()));
        Assert.That((int)e!.ErrorCode, Is.EqualTo(PortalErrors.DlpBlocked));
        Assert.That(e.Message, Does.Contain("card-number").And.Contain("aws-access-key"));
    }

    [Test]
    public async Task UpstreamErrorMessage_IsScanned_BlockedOrRedacted()
    {
        var client = await _portal.ConnectAsync(_portal.CreateToken("dev"));
        // The secret is the upstream's own: the arguments are clean.
        var blocked = Assert.ThrowsAsync<McpProtocolException>(async () =>
            await client.CallToolAsync("strict_fail", new Dictionary<string, object?> { ["text"] = "leak" }));
        Assert.That((int)blocked!.ErrorCode, Is.EqualTo(PortalErrors.DlpBlocked), blocked.Message);
        Assert.That(blocked.Message, Does.Not.Contain("ops@example.com"));

        var redacted = Assert.ThrowsAsync<McpProtocolException>(async () =>
            await client.CallToolAsync("redacting_fail", new Dictionary<string, object?> { ["text"] = "leak" }));
        Assert.That(redacted!.Message, Does.Contain("upstream failed").And.Contain("[REDACTED:email]").And.Not.Contain("ops@example.com"));
        await _portal.FlushAuditAsync();
        using var db = _portal.Store.Open();
        var row = db.Audit.Where(a => a.Tool == "strict_fail").OrderByDescending(a => a.Seq).First();
        Assert.That(row.Outcome, Is.EqualTo("dlp-blocked"));
        Assert.That(row.DlpHits, Is.EqualTo("error:email"));
    }
}
