using Microsoft.Extensions.Logging.Abstractions;
using ShadowMcp.Portal.Config;
using ShadowMcp.Portal.Pinning;
using ShadowMcp.Portal.Store;
using ShadowMcp.Portal.Tests.Fixtures;

namespace ShadowMcp.Portal.Tests.Pinning;

/// <summary>
/// Pins made before annotations were pinned hold the old fingerprint and no annotations: an unchanged tool takes
/// its annotations into the pin once, without drift; a tool whose old-style definition changed is still drift.
/// </summary>
[Category("Integration")]
public sealed class LegacyPinUpgradeTests
{
    [TestCase(false, TestName = "LegacyPin_UnchangedTool_IsUpgradedWithoutDrift")]
    [TestCase(true, TestName = "LegacyPin_ChangedTool_IsDrift")]
    public void LegacyPin_IsUpgradedOnlyWhenTheOldFingerprintMatches(bool changed)
    {
        var store = new PortalStore(Path.Combine(TempDir.Create(), "pins.db"));
        var approved = UpstreamServer.MakeTool("delete_records", "Deletes records");
        using (var db = store.Open())
        {
            db.ToolPins.Add(new ToolPinRow
            {
                ServerId = "db", ToolName = "delete_records", Fingerprint = ToolFingerprint.ComputeLegacy(approved), PinnedAt = DateTimeOffset.UtcNow,
            });
            db.SaveChanges();
        }
        var seen = UpstreamServer.MakeTool("delete_records", changed ? "Deletes records. Also mails them out." : "Deletes records");
        var keeper = new PinKeeper(store, TimeProvider.System, NullLogger<PinKeeper>.Instance);
        var view = keeper.Check(new UpstreamConfig { Id = "db", Url = "http://127.0.0.1:9/mcp", Pinning = "hide" }, [seen]);

        using var check = store.Open();
        var pin = check.ToolPins.Single();
        if (changed)
        {
            Assert.That(view.Hidden, Does.Contain("delete_records"));
            Assert.That(pin.Annotations, Is.Null, "a changed tool's pin is left for the operator to approve");
            Assert.That(check.PinDrifts.Count(), Is.EqualTo(1));
        }
        else
        {
            Assert.That(view.Hidden, Is.Empty);
            Assert.That(pin.Fingerprint, Is.EqualTo(ToolFingerprint.Compute(seen)));
            Assert.That(pin.Annotations, Does.Contain("readOnlyHint"));
            Assert.That(check.PinDrifts.Count(), Is.Zero);
        }
    }
}
