using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using ShadowMcp.Portal.CodeMode;
using ShadowMcp.Portal.Config;
using ShadowMcp.Portal.Tests.Fixtures;

namespace ShadowMcp.Portal.Tests.CodeMode;

/// <summary>PII tokenization: the script and the model see [EMAIL_1]; only a server allowed raw data gets the value back.</summary>
[Category("Integration")]
public sealed class CodeModePiiTests
{
    private UpstreamServer _crm = null!;
    private UpstreamServer _paste = null!;
    private UpstreamServer _mirror = null!;
    private UpstreamServer _vendor = null!;
    private UpstreamServer _strict = null!;
    private PortalFixture _portal = null!;
    private McpClient _client = null!;

    [OneTimeSetUp]
    public async Task SetUp()
    {
        _crm = await UpstreamServer.StartAsync([.. UpstreamServer.DefaultTools(), UpstreamServer.MakeTool("fail", "Fails with a JSON-RPC error naming its text")]);
        _paste = await UpstreamServer.StartAsync();
        _mirror = await UpstreamServer.StartAsync();
        List<Tool> vendorTools = [UpstreamServer.MakeTool("raw", "Returns its text as is"), UpstreamServer.MakeTool("structured", "Returns its text as structuredContent")];
        _vendor = await UpstreamServer.StartAsync(vendorTools);
        _strict = await UpstreamServer.StartAsync(vendorTools);
        var config = PortalFixture.Config1(("crm", _crm.McpUrl), ("paste", _paste.McpUrl), ("mirror", _mirror.McpUrl), ("vendor", _vendor.McpUrl),
            ("strict", _strict.McpUrl));
        config.CodeMode.WorkerNice = 0; // CI shares its cores with other test runs; bench/codemode measures priority
        config.Upstreams[0].Dlp = new DlpSettings { Arguments = "log", Results = "log" };
        // A server whose DLP lets raw data through both ways, but is not trusted with raw values by code mode.
        config.Upstreams[2].Dlp = new DlpSettings { Arguments = "off", Results = "off" };
        config.Upstreams[3].Dlp = new DlpSettings { Arguments = "off", Results = "redact" };
        config.Upstreams[4].Dlp = new DlpSettings { Arguments = "off", Results = "block" };
        config.CodeMode.TokenizePii = ["crm"];
        config.CodeMode.RestoreTo = ["crm"];
        config.Groups["dev"] = new GroupConfig { Servers = { ["crm"] = ["*"], ["paste"] = ["*"], ["mirror"] = ["*"], ["vendor"] = ["*"], ["strict"] = ["*"] } };
        _portal = await PortalFixture.StartAsync(config);
        _client = await CodeModeClient.ConnectAsync(_portal, _portal.CreateToken("dev"));
    }

    [OneTimeTearDown]
    public async Task TearDown()
    {
        await _client.DisposeAsync();
        await _portal.DisposeAsync();
        await _crm.DisposeAsync();
        await _paste.DisposeAsync();
        await _mirror.DisposeAsync();
        await _vendor.DisposeAsync();
        await _strict.DisposeAsync();
    }

    [Test]
    public async Task Execute_ReflectingServerNotInRestoreTo_NeverSeesTheRawValue()
    {
        // The attack: the mirror's argument DLP is off, so the old vault restored raw values into its calls, and
        // the mirror reflected them back to the script.
        var result = await _client.ExecuteAsync("""
            async () => {
              const leak = await codemode.crm_leak({});
              const token = leak.slice(leak.indexOf('[EMAIL'), leak.indexOf(']', leak.indexOf('[EMAIL')) + 1);
              try { return await codemode.mirror_echo({ text: token }); } catch (e) { return 'refused: ' + e.message; }
            }
            """);
        Assert.That(result.Json().GetString(), Does.StartWith("refused: ").And.Contain("may not be sent to server 'mirror'"));
        Assert.That(_mirror.ReceivedArguments, Has.None.Contains("ops@example.com"));
        var row = await CodeModeSignals.WaitForAuditAsync(_portal, a => a.ExecutionId == result.ExecutionId() && a.Tool == "mirror_echo");
        Assert.That(row.Outcome, Is.EqualTo("dlp-blocked"));
    }

    [Test]
    public async Task Execute_TokenizingServersJsonRpcError_CarriesTokensNotRawPii()
    {
        // crm's own DLP only logs: tokens are what keeps its PII from the model. Its JSON-RPC errors (not isError
        // results) went to the script as they came.
        var result = await _client.ExecuteAsync("async () => { try { await codemode.crm_fail({ text: 'leak' }); } catch (e) { return e.message; } }");
        var message = result.Json().GetString();
        Assert.That(message, Does.Contain("upstream failed: config has [EMAIL_1]").And.Not.Contain("ops@example.com"));
    }

    [Test]
    public async Task Execute_RestoredValueEchoedInAnError_IsTokenizedAgain()
    {
        var result = await _client.ExecuteAsync("""
            async () => {
              const leak = await codemode.crm_leak({});
              const token = leak.slice(leak.indexOf('[EMAIL'), leak.indexOf(']', leak.indexOf('[EMAIL')) + 1);
              try { await codemode.crm_fail({ text: 'to ' + token }); } catch (e) { return [token, e.message]; }
            }
            """);
        var (token, message) = (result.Json()[0].GetString()!, result.Json()[1].GetString()!);
        Assert.That(_crm.ReceivedArguments, Has.Some.Contains("to ops@example.com"), "crm is in restoreTo: it got the raw value");
        Assert.That(message, Does.Contain("upstream failed: to " + token).And.Not.Contain("ops@example.com"));
    }

    [Test]
    public async Task Execute_JsonEscapedSecretInText_IsRedactedAfterDecoding()
    {
        var result = await _client.ExecuteAsync("""
            async () => {
              const r = await codemode.vendor_raw({ text: '{"mail":"alice\\u0040example.com","nested":"{\\"key\\":\\"AKIA\\u0049OSFODNN7EXAMPLE\\"}"}' });
              return r;
            }
            """);
        var text = result.Text();
        Assert.That(text, Does.Not.Contain("alice@example.com").And.Not.Contain("alice\u0040example.com"));
        Assert.That(text, Does.Not.Contain("AKIAIOSFODNN7EXAMPLE"));
        Assert.That(result.Json().GetProperty("mail").GetString(), Does.Contain("[REDACTED:"));
    }

    [Test]
    public async Task Execute_CardNumberAsStructuredNumber_IsRedacted()
    {
        var result = await _client.ExecuteAsync("""
            async () => {
              const r = await codemode.vendor_structured({ text: '{"card":4111111111111111,"ok":42}' });
              return [typeof r.card, String(r.card), r.ok];
            }
            """);
        var json = result.Json();
        Assert.That(json[0].GetString(), Is.EqualTo("string"));
        Assert.That(json[1].GetString(), Does.Contain("[REDACTED:card-number]").And.Not.Contain("4111111111111111"));
        Assert.That(json[2].GetInt32(), Is.EqualTo(42));
    }

    [Test]
    public async Task Execute_TokenizedResult_RestoredOnlyForAllowedServer()
    {
        var result = await _client.ExecuteAsync("""
            async () => {
              const leak = await codemode.crm_leak({});
              const back = await codemode.crm_echo({ text: 'to ' + leak.slice(leak.indexOf('[EMAIL')) });
              let pasted = 'not tried';
              try { await codemode.paste_echo({ text: leak }); pasted = 'sent'; } catch (e) { pasted = e.message; }
              return { leak, back, pasted };
            }
            """);
        var json = result.Json();
        Assert.That(json.GetProperty("leak").GetString(), Does.Contain("[EMAIL_1]").And.Not.Contain("ops@example.com"));
        Assert.That(json.GetProperty("back").GetString(), Is.EqualTo("echo: to [EMAIL_1]"), "the echo of the raw value is tokenized again on the way back");
        Assert.That(_crm.ReceivedArguments, Has.Some.Contains("ops@example.com"));
        Assert.That(json.GetProperty("pasted").GetString(), Does.Contain("may not be sent to server 'paste'"));
        Assert.That(_paste.ReceivedArguments, Has.None.Contains("ops@example.com").And.None.Contains("EMAIL_1"));
        Assert.That(result.Text(), Does.Not.Contain("ops@example.com"));
    }

    [Test]
    public async Task Execute_SecretFoundOnlyOnceDecoded_IsOneBlockedCallInTheAudit()
    {
        // The key is escaped twice inside the text, so only code mode's decoding of the result reveals it. The call
        // must be one audit row saying dlp-blocked with the detector, not an "ok" row from the pipeline plus a second
        // row from code mode: counts of calls and of DLP blocks would both be wrong.
        var result = await _client.ExecuteAsync("""
            async () => {
              try { return await codemode.strict_raw({ text: '{"nested":"{\\"key\\":\\"AKIA\\u0049OSFODNN7EXAMPLE\\"}"}' }); }
              catch (e) { return 'refused: ' + e.message; }
            }
            """);
        Assert.That(result.Json().GetString(), Does.StartWith("refused: ").And.Contain("Blocked by portal DLP"));
        Assert.That(result.Text(), Does.Not.Contain("AKIAIOSFODNN7EXAMPLE"));
        await CodeModeSignals.WaitForAuditAsync(_portal, a => a.ExecutionId == result.ExecutionId() && a.Tool == CodeModeTools.Execute);
        using var db = _portal.Store.Open();
        var rows = db.Audit.Where(a => a.ExecutionId == result.ExecutionId() && a.Tool == "strict_raw").ToList();
        Assert.That(rows.Select(r => r.Outcome), Is.EqualTo(new[] { "dlp-blocked" }));
        Assert.That(rows[0].DlpHits, Does.Contain("aws-access-key"));
        Assert.That(rows[0].Server, Is.EqualTo("strict"));
    }
    [Test]
    public async Task Execute_TokenForgedInAnotherExecution_UnmasksNothing()
    {
        // Tokens are per execution: a script that writes [EMAIL_1] itself, to a server that is trusted with raw
        // values, must not get the value another execution (here another user's) was given that token for.
        var first = await _client.ExecuteAsync("async () => codemode.crm_leak({})");
        Assert.That(first.Json().GetString(), Does.Contain("[EMAIL_1]"));
        await using var other = await CodeModeClient.ConnectAsync(_portal, _portal.CreateToken("dev", name: "someone-else"));
        var forged = await other.ExecuteAsync("async () => codemode.crm_echo({ text: 'unmask [EMAIL_1] [CARD_1]' })");
        Assert.That(forged.Json().GetString(), Is.EqualTo("echo: unmask [EMAIL_1] [CARD_1]"));
        var sent = _crm.ReceivedArguments.Where(a => a.Contains("unmask")).ToList();
        Assert.That(sent, Has.Count.EqualTo(1));
        Assert.That(sent[0], Does.Contain("[EMAIL_1]").And.Not.Contain("ops@example.com"));
    }
}
