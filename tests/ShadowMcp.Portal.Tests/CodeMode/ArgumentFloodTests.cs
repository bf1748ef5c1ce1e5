using ShadowMcp.Portal.Config;
using ShadowMcp.Portal.Tests.Fixtures;
using ShadowMcp.Tests;

namespace ShadowMcp.Portal.Tests.CodeMode;

/// <summary>
/// A script's large arguments used to cross into the portal whole: cut to maxJsonChars (4 Mi characters) in the
/// worker, then sent in one frame of up to 24 MB (every quote escaped to six bytes) that the portal read, decoded
/// and hashed before refusing it, and a script looping on such calls took the portal to about 169 MB before Jint's
/// memory limit stopped it. Now codeMode.maxArgumentBytes holds at the frame boundary: an honest worker sends an
/// oversized call as its size alone, and a call frame over the limit is refused from its length and first bytes.
/// </summary>
[Category("Integration")]
public sealed class ArgumentFloodTests
{
    [Test]
    public async Task FiftyMegabyteArgument_GetsClearError_PortalReceivesOnlyItsSize_Audited()
    {
        await using var alpha = await UpstreamServer.StartAsync();
        var config = PortalFixture.Config1(("alpha", alpha.McpUrl));
        config.Groups["dev"] = new GroupConfig { Servers = { ["alpha"] = ["*"] } };
        config.CodeMode.WorkerNice = 0;
        config.CodeMode.WarmWorkers = 1;
        // Room in the script for the 50 MB string and its JSON (UTF-16: 100 MB each), so the call is what is tested.
        config.CodeMode.MemoryBytes = 1024L * 1024 * 1024;
        config.CodeMode.WorkerHeapBytes = 1536L * 1024 * 1024;
        config.CodeMode.TimeoutSeconds = 60;
        var portal = await PortalFixture.StartAsync(config);
        try
        {
            await using var client = await CodeModeClient.ConnectAsync(portal, portal.CreateToken("dev", name: "flood"));
            var result = await client.ExecuteAsync("""
                async () => {
                  const text = 'x'.repeat(50 * 1024 * 1024);
                  try { await codemode.alpha_echo({ text }); return 'sent'; } catch (e) { return e.message; }
                }
                """);
            Assert.That(result.IsError, Is.Not.True, result.Text());
            Assert.That(result.Json().GetString(), Is.EqualTo("arguments larger than 1048576 bytes (codeMode.maxArgumentBytes)"));
            Assert.That(alpha.ReceivedArguments, Has.None.Contains("xxxx"));

            var row = await CodeModeSignals.WaitForAuditAsync(portal, a => a.ExecutionId == result.ExecutionId() && a.Tool == "alpha_echo");
            Assert.That(row.Outcome, Is.EqualTo("codemode-arguments-too-large"));
            // {"text":"…"}: the whole size, as the worker counted it; no hash, because the portal never read the text.
            Assert.That(row.ArgumentBytes, Is.EqualTo(50L * 1024 * 1024 + 11));
            Assert.That(row.ArgumentHash, Is.Null);
        }
        finally { await portal.DisposeAsync(); }
    }

    [Test]
    public async Task WorkerSendingAnOversizedCallFrame_IsStopped_CallNeverReachesTheUpstream()
    {
        var script = Path.Combine(NodeScripts.Folder, "hostile-worker.mjs");
        ExternalTools.RequireIntegrationLane("node");
        var node = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Select(d => Path.Combine(d, "node")).First(File.Exists);
        await using var alpha = await UpstreamServer.StartAsync();
        var config = PortalFixture.Config1(("alpha", alpha.McpUrl));
        config.Groups["dev"] = new GroupConfig { Servers = { ["alpha"] = ["*"] } };
        config.CodeMode.WorkerCommand = [node, script, "alpha_echo", "big-call"];
        config.CodeMode.WorkerNice = 0;
        config.CodeMode.WorkerAddressSpaceBytes = 64L * 1024 * 1024 * 1024; // V8 reserves more than .NET does
        config.CodeMode.TimeoutSeconds = 10;
        var portal = await PortalFixture.StartAsync(config);
        try
        {
            await using var client = await CodeModeClient.ConnectAsync(portal, portal.CreateToken("dev"));
            var result = await client.ExecuteAsync("async () => 1");
            Assert.That(result.IsError, Is.True, result.Text());
            Assert.That(result.Text(), Does.Contain("sandbox process was stopped"));
            Assert.That(alpha.ReceivedArguments, Has.None.Contains("big-call:"));
            await portal.FlushAuditAsync();
            using var db = portal.Store.Open();
            Assert.That(db.Audit.Count(a => a.ExecutionId == result.ExecutionId() && a.Tool == "alpha_echo"), Is.Zero,
                "the frame was refused before it was read: there was no call to audit");
        }
        finally { await portal.DisposeAsync(); }
    }
}
