using Microsoft.EntityFrameworkCore;
using ShadowMcp.Portal.Audit;
using ShadowMcp.Portal.Store;
using ShadowMcp.Portal.Tests.Fixtures;

namespace ShadowMcp.Portal.Tests.Audit;

public sealed class AuditChainTests
{
    private PortalStore _store = null!;

    [SetUp]
    public async Task SetUp()
    {
        _store = new PortalStore(Path.Combine(TempDir.Create(), "audit.db"));
        var log = new AuditLog(_store, TimeProvider.System);
        for (var i = 1; i <= 6; i++)
            await log.AppendAsync(new AuditRecord($"user{i}", "dev", "client", "1.0", "alpha", "tools/call", $"alpha_t{i}", 10 * i, "abc", null, 1.5, "ok", "group 'dev'", null));
    }

    [Test]
    public void Verify_IntactChain_NoProblems()
    {
        Assert.That(AuditVerifier.Verify(_store), Is.Empty);
    }

    [Test]
    public void Verify_ChangedField_NamesTheRow()
    {
        Exec("UPDATE portal_audit SET Outcome = 'denied' WHERE Seq = 3");
        var problems = AuditVerifier.Verify(_store);
        Assert.That(problems, Has.Count.EqualTo(1));
        Assert.That(problems[0].Seq, Is.EqualTo(3));
        Assert.That(problems[0].Kind, Is.EqualTo("changed"));
    }

    [Test]
    public void Verify_ChangedAndRehashedRow_NamesTheRow()
    {
        using (var db = _store.Open())
        {
            var row = db.Audit.Single(a => a.Seq == 2);
            row.User = "mallory";
            row.Hash = AuditHasher.Compute(row);
            db.SaveChanges();
        }
        var problems = AuditVerifier.Verify(_store);
        Assert.That(problems.Select(p => (p.Seq, p.Kind)), Is.EqualTo(new[] { (2L, "changed") }));
    }

    [Test]
    public void Verify_DeletedRow_NamesTheGap()
    {
        Exec("DELETE FROM portal_audit WHERE Seq = 4");
        var problems = AuditVerifier.Verify(_store);
        Assert.That(problems, Has.Count.EqualTo(1));
        Assert.That(problems[0].Seq, Is.EqualTo(5));
        Assert.That(problems[0].Kind, Is.EqualTo("deleted before"));
        Assert.That(problems[0].Detail, Does.Contain("4..4"));
    }

    [Test]
    public void Verify_DeletedTail_IsDetectedThroughTheHead()
    {
        Exec("DELETE FROM portal_audit WHERE Seq >= 5");
        var problems = AuditVerifier.Verify(_store);
        Assert.That(problems.Select(p => p.Kind), Does.Contain("deleted"));
        Assert.That(problems.Single().Detail, Does.Contain("ends at row 4"));
    }

    [Test]
    public void Verify_SwappedRows_NamesBothAsReordered()
    {
        Exec("UPDATE portal_audit SET Seq = 100 WHERE Seq = 3");
        Exec("UPDATE portal_audit SET Seq = 3 WHERE Seq = 4");
        Exec("UPDATE portal_audit SET Seq = 4 WHERE Seq = 100");
        var problems = AuditVerifier.Verify(_store);
        Assert.That(problems.Select(p => (p.Seq, p.Kind)), Is.EquivalentTo(new[] { (3L, "reordered"), (4L, "reordered") }));
    }

    [Test]
    public async Task Append_AfterVerify_ContinuesTheChain()
    {
        await new AuditLog(_store, TimeProvider.System).AppendAsync(new AuditRecord("u", "g", null, null, null, "tools/list", null, 0, null, null, 0, "ok", "x", null));
        Assert.That(AuditVerifier.Verify(_store), Is.Empty);
    }

    [Test]
    public async Task Flush_OnEmptyLog_WritesNothingAndVerifies()
    {
        var store = new PortalStore(Path.Combine(TempDir.Create(), "empty.db"));
        await using var log = new AuditLog(store, TimeProvider.System);
        await log.FlushAsync();
        using var db = store.Open();
        Assert.That(db.AuditHead.Count(), Is.Zero);
        Assert.That(AuditVerifier.Verify(store), Is.Empty);
    }

    [Test]
    public async Task Enqueue_ManyConcurrent_ChainStaysIntact()
    {
        await using var log = new AuditLog(_store, TimeProvider.System);
        await Task.WhenAll(Enumerable.Range(0, 300).Select(i => Task.Run(() =>
            log.EnqueueAsync(new AuditRecord($"u{i}", "g", null, null, null, "tools/call", "t", i, null, null, 0, "ok", "d", null)))));
        await log.FlushAsync();
        using (var db = _store.Open()) Assert.That(db.Audit.Count(), Is.EqualTo(306));
        Assert.That(AuditVerifier.Verify(_store), Is.Empty);
    }

    [Test]
    public void Export_WritesOneJsonObjectPerRow()
    {
        var writer = new StringWriter();
        var count = AuditExporter.WriteJsonl(_store, writer);
        var lines = writer.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(count, Is.EqualTo(6));
        Assert.That(lines, Has.Length.EqualTo(6));
        using var doc = System.Text.Json.JsonDocument.Parse(lines[0]);
        Assert.That(doc.RootElement.GetProperty("seq").GetInt64(), Is.EqualTo(1));
        Assert.That(doc.RootElement.GetProperty("tool").GetString(), Is.EqualTo("alpha_t1"));
        Assert.That(doc.RootElement.GetProperty("hash").GetString(), Has.Length.EqualTo(64));
    }

    private void Exec(string sql)
    {
        using var db = _store.Open();
        db.Database.ExecuteSqlRaw(sql);
    }
}
