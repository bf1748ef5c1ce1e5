using Microsoft.EntityFrameworkCore;
using ShadowMcp.Portal.Audit;
using ShadowMcp.Portal.Auth;
using ShadowMcp.Portal.Pinning;
using ShadowMcp.Portal.Store;
using ShadowMcp.Tests;

namespace ShadowMcp.Portal.Tests.Store;

/// <summary>The portal's store on a real PostgreSQL server: what one process writes, another opening it reads.</summary>
[Category(ExternalTools.IntegrationCategory)]
public sealed class PostgresPortalStoreTests
{
    [Test]
    public async Task PortalStore_OnPostgres_RoundTripsTokensPinsStateAndAudit()
    {
        var url = LocalPostgres.CreateDatabase("portalstore");
        var first = new PortalStore(url);
        Assert.That(first.IsPostgres, Is.True);
        var (row, token) = new ApiTokens(first, TimeProvider.System).Create("dev", "ci", TimeSpan.FromDays(1));
        var seen = DateTimeOffset.UtcNow;
        using (var db = first.Open())
        {
            db.ToolObservations.Add(new ToolObservationRow { ServerId = "alpha", ToolName = "echo", Fingerprint = "f1", Annotations = "{}", SeenAt = seen });
            db.UpstreamStates.Add(new UpstreamStateRow { ServerId = "alpha", Healthy = true, LastSeenAt = seen, ToolCount = 1 });
            await db.SaveChangesAsync();
        }
        Assert.That(PinKeeper.Approve(first, "alpha", TimeProvider.System), Is.EqualTo(1));
        await using (var log = new AuditLog(first, TimeProvider.System, [1, 2, 3, 4]))
            for (var i = 0; i < 3; i++) await log.AppendAsync(Record($"user{i}"));

        // A second process: opening an up-to-date store migrates nothing and reads everything back.
        var second = new PortalStore(url);
        var check = new ApiTokens(second, TimeProvider.System).Check(token);
        Assert.That(check.Failure, Is.Null);
        using (var db = second.Open())
        {
            // The store keeps times to 0.1 ms, on both engines.
            Assert.That(db.ApiTokens.Single().ExpiresAt!.Value.UtcTicks / 10_000, Is.EqualTo(row.ExpiresAt!.Value.UtcTicks / 10_000));
            var pin = db.ToolPins.Single();
            Assert.That((pin.ServerId, pin.ToolName, pin.Fingerprint), Is.EqualTo(("alpha", "echo", "f1")));
            Assert.That(db.UpstreamStates.Single().LastSeenAt!.Value.UtcTicks / 10_000, Is.EqualTo(seen.UtcTicks / 10_000));
            Assert.That(db.Audit.OrderBy(a => a.Seq).Select(a => a.User), Is.EqualTo(new[] { "user0", "user1", "user2" }));
        }
        Assert.That(AuditVerifier.Verify(second, AuditKeys.ReadOnly(new() { KeyEnv = null }, TempDirFor()), null)
            .Select(p => p.Kind), Is.EqualTo(new[] { "not checked" }), "keyed rows need the key");
        Assert.That(second.Display, Does.Not.Contain(PasswordOf(url)));
    }

    private static string TempDirFor() => Fixtures.TempDir.Create();

    private static string PasswordOf(string url) => Uri.UnescapeDataString(new Uri(url).UserInfo.Split(':')[1]);

    internal static AuditRecord Record(string user) =>
        new(user, "dev", "client", "1.0", "alpha", "tools/call", "alpha_echo", 10, "abc", null, 1.5, "ok", "group 'dev'", null);
}
