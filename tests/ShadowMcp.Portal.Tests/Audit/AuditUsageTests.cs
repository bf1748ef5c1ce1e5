using ShadowMcp.Portal.Audit;
using ShadowMcp.Portal.Reading;
using ShadowMcp.Portal.Store;
using ShadowMcp.Portal.Tests.Fixtures;

namespace ShadowMcp.Portal.Tests.Audit;

/// <summary>
/// The weekly report's portal figures come from <see cref="PortalAuditReader.Usage"/> over the real audit table:
/// every DLP block is a DLP hit, including a refusal whose row names no detector (code mode's vault refusal).
/// </summary>
public sealed class AuditUsageTests
{
    [Test]
    public async Task Usage_DlpBlocks_AreCountedAsDlpHitsEvenWithoutADetectorName()
    {
        var path = Path.Combine(TempDir.Create(), "usage.db");
        var store = new PortalStore(path);
        var log = new AuditLog(store, TimeProvider.System);
        var from = DateTime.UtcNow.AddMinutes(-1);
        await log.AppendAsync(Call("ok", null));
        await log.AppendAsync(Call("dlp-blocked", "arguments:email"));
        await log.AppendAsync(Call("dlp-blocked", null));
        await log.AppendAsync(Call("ok", "results:iban"));

        var usage = new PortalAuditReader(path).Usage(from, DateTime.UtcNow.AddMinutes(1));
        Assert.That(usage.DlpHits, Is.EqualTo(3), "two blocks (one naming no detector) and one redaction");
        Assert.That(usage.Calls, Is.EqualTo(2));
    }

    private static AuditRecord Call(string outcome, string? dlp) =>
        new("alice", "dev", "client", "1.0", "tickets", "tools/call", "tickets_search", 10, "abc", null, 1.0, outcome,
            outcome == "ok" ? "group 'dev'" : "Blocked by portal DLP", dlp);
}
