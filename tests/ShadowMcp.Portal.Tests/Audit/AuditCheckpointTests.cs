using System.Net.Sockets;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using ShadowMcp.Portal.Audit;
using ShadowMcp.Portal.Config;
using ShadowMcp.Portal.Store;
using ShadowMcp.Portal.Tests.Fixtures;

namespace ShadowMcp.Portal.Tests.Audit;

/// <summary>
/// Re-forging the audit log as someone who can write the store file: rows are keyed (HMAC with a key outside the
/// store) and the head is anchored by signed checkpoints in an append-only file. Each attack from the field
/// report is detected, the worst ones even when the attacker holds the HMAC key.
/// </summary>
public sealed class AuditCheckpointTests
{
    private string _dir = null!;
    private PortalStore _store = null!;
    private AuditKeys _keys = null!;
    private AuditSettings _settings = null!;

    [SetUp]
    public async Task SetUp()
    {
        _dir = TempDir.Create();
        _store = new PortalStore(Path.Combine(_dir, "audit.db"));
        _settings = new AuditSettings { CheckpointFile = Path.Combine(_dir, "checkpoints.log") };
        _keys = AuditKeys.LoadOrCreate(_settings, _store.KeyDirectory);
        await using var log = new AuditLog(_store, TimeProvider.System, _keys.HmacKey);
        for (var i = 1; i <= 6; i++) await log.AppendAsync(Record(i));
        await CheckpointAsync(log);
    }

    private static AuditRecord Record(int i) =>
        new($"user{i}", "dev", "client", "1.0", "alpha", "tools/call", $"alpha_t{i}", 10 * i, "abc", null, 1.5, "ok", "group 'dev'", null);

    private async Task<AuditCheckpoint?> CheckpointAsync(AuditLog log)
    {
        var config = new PortalConfig();
        config.Portal.Audit = _settings;
        var writer = new CheckpointWriter(config, _store, log, _keys, TimeProvider.System, NullLogger<CheckpointWriter>.Instance);
        return await writer.WriteAsync();
    }

    private IReadOnlyList<AuditProblem> Verify() =>
        AuditVerifier.Verify(_store, AuditKeys.ReadOnly(_settings, _store.KeyDirectory), File.ReadAllLines(_settings.CheckpointFile!));

    private void Exec(string sql)
    {
        using var db = _store.Open();
        db.Database.ExecuteSqlRaw(sql);
    }

    /// <summary>What an attacker holding the HMAC key does after an edit: recompute every link from the first row on.</summary>
    private void Rechain(byte[]? key)
    {
        using var db = _store.Open();
        var prev = AuditHasher.Genesis;
        AuditRow? last = null;
        foreach (var row in db.Audit.OrderBy(a => a.Seq))
        {
            row.PrevHash = prev;
            row.HashKind = key is null ? null : AuditHasher.Keyed;
            row.Hash = key is null ? AuditHasher.Compute(row) : AuditHasher.Compute(row, key);
            prev = row.Hash;
            last = row;
        }
        var head = db.AuditHead.Single();
        head.Seq = last?.Seq ?? 0;
        head.Hash = last?.Hash ?? AuditHasher.Genesis;
        db.SaveChanges();
    }

    [Test]
    public void Intact_WithCheckpoint_NoProblems()
    {
        Assert.That(Verify(), Is.Empty);
        Assert.That(File.ReadAllLines(_settings.CheckpointFile!), Has.Length.EqualTo(1));
    }

    [Test]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public void KeyFiles_AreCreatedOwnerOnly()
    {
        foreach (var name in new[] { AuditKeys.DefaultKeyName, AuditKeys.DefaultSigningKeyName })
            Assert.That(File.GetUnixFileMode(Path.Combine(_dir, name)), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite), name);
    }

    [TestCase(false, TestName = "Append_UnkeyedChainedRow_IsDetected")]
    [TestCase(true, TestName = "Append_RowClaimingKeyed_IsDetected")]
    public void Append_ChainedRowWithoutKey_IsDetected(bool claimKeyed)
    {
        AppendChainedRow(claimKeyed);
        Assert.That(Verify().Select(p => (p.Seq, p.Kind)), Does.Contain((7L, "changed")));
    }

    /// <summary>The old attack: a row chained to the head with plain SHA-256, as the report's forger did.</summary>
    private void AppendChainedRow(bool claimKeyed)
    {
        using (var db = _store.Open())
        {
            var head = db.AuditHead.Single();
            var row = new AuditRow
            {
                Seq = head.Seq + 1, Time = DateTimeOffset.UtcNow, User = "mallory", Group = "dev", Method = "tools/call", Outcome = "ok",
                Decision = "group 'dev'", PrevHash = head.Hash, HashKind = claimKeyed ? AuditHasher.Keyed : null,
            };
            row.Hash = AuditHasher.Compute(row);
            db.Audit.Add(row);
            head.Seq = row.Seq;
            head.Hash = row.Hash;
            db.SaveChanges();
        }
    }

    [Test]
    public void Edit_AndRechainWithoutKey_IsDetected()
    {
        Exec("UPDATE portal_audit SET Outcome = 'denied' WHERE Seq = 3");
        Rechain(null); // the old attack: unkeyed SHA-256 all along
        var problems = Verify();
        Assert.That(problems.Select(p => (p.Seq, p.Kind)), Does.Contain((6L, "changed")), string.Join("\n", problems));
    }

    [Test]
    public void Edit_AndRechainWithTheKey_IsDetectedByCheckpoint()
    {
        Exec("UPDATE portal_audit SET Outcome = 'denied' WHERE Seq = 3");
        Rechain(_keys.HmacKey);
        var problems = Verify();
        Assert.That(problems, Has.Count.EqualTo(1), string.Join("\n", problems));
        Assert.That((problems[0].Seq, problems[0].Kind), Is.EqualTo((6L, "changed")));
    }

    [Test]
    public void Delete_AndRenumberWithTheKey_IsDetectedByCheckpoint()
    {
        Exec("DELETE FROM portal_audit WHERE Seq = 3");
        Exec("UPDATE portal_audit SET Seq = Seq - 1 WHERE Seq > 3");
        Rechain(_keys.HmacKey);
        var problems = Verify();
        Assert.That(problems.Select(p => p.Kind), Does.Contain("truncated"), string.Join("\n", problems));
    }

    [Test]
    public void Truncate_TailWithHeadFixed_IsDetectedByCheckpoint()
    {
        Exec("DELETE FROM portal_audit WHERE Seq > 4");
        Exec("UPDATE portal_audit_head SET Seq = 4, Hash = (SELECT Hash FROM portal_audit WHERE Seq = 4)");
        Assert.That(AuditVerifier.Verify(_store), Is.Empty, "the chain alone cannot tell");
        var problems = Verify();
        Assert.That(problems.Select(p => (p.Seq, p.Kind)), Is.EqualTo(new[] { (6L, "truncated") }));
        Assert.That(problems[0].Detail, Does.Contain("ends at row 4"));
    }

    [Test]
    public void DeleteEverything_IsDetectedByCheckpoint()
    {
        Exec("DELETE FROM portal_audit");
        Exec("DELETE FROM portal_audit_head");
        Assert.That(AuditVerifier.Verify(_store), Is.Empty, "the chain alone cannot tell");
        Assert.That(Verify().Select(p => (p.Seq, p.Kind)), Is.EqualTo(new[] { (6L, "truncated") }));
    }

    [Test]
    public void Downgrade_AllRowsToUnkeyed_IsDetectedByCheckpoint()
    {
        Rechain(null);
        Assert.That(Verify().Select(p => (p.Seq, p.Kind)), Does.Contain((6L, "changed")));
    }

    [Test]
    public void ForgedCheckpoint_WithAnotherKey_IsReported()
    {
        var other = new Org.BouncyCastle.Crypto.Parameters.Ed25519PrivateKeyParameters(new byte[32]);
        File.AppendAllText(_settings.CheckpointFile!, AuditCheckpoint.Sign(9, 9, new string('a', 64), DateTimeOffset.UtcNow, other).ToJson() + "\n");
        var problems = Verify();
        Assert.That(problems.Select(p => p.Kind), Is.EqualTo(new[] { "forged checkpoint" }));
    }

    [Test]
    public async Task OldUnkeyedRows_StayVerifiable_BeforeKeyedOnes()
    {
        var store = new PortalStore(Path.Combine(TempDir.Create(), "old.db"));
        await using (var old = new AuditLog(store, TimeProvider.System)) for (var i = 1; i <= 3; i++) await old.AppendAsync(Record(i));
        var keys = AuditKeys.LoadOrCreate(new AuditSettings(), store.KeyDirectory);
        await using (var keyed = new AuditLog(store, TimeProvider.System, keys.HmacKey)) for (var i = 4; i <= 6; i++) await keyed.AppendAsync(Record(i));
        using (var db = store.Open())
            Assert.That(db.Audit.OrderBy(a => a.Seq).Select(a => a.HashKind).ToList(),
                Is.EqualTo(new[] { null, null, null, AuditHasher.Keyed, AuditHasher.Keyed, AuditHasher.Keyed }));
        Assert.That(AuditVerifier.Verify(store), Is.Empty);
    }

    [Test]
    public async Task KeyedRows_WithoutTheKey_AreNotPassedAsIntact()
    {
        File.Delete(Path.Combine(_dir, AuditKeys.DefaultKeyName));
        var problems = AuditVerifier.Verify(_store);
        Assert.That(problems.Select(p => p.Kind), Is.EqualTo(new[] { "not checked" }));
        await Task.CompletedTask;
    }

    [Test]
    public async Task Syslog_ReceivesSignedCheckpoint()
    {
        var socketPath = Path.Combine(_dir, "log.sock");
        using var syslog = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        syslog.Bind(new UnixDomainSocketEndPoint(socketPath));
        _settings.CheckpointFile = null;
        _settings.CheckpointSyslog = true;
        _settings.SyslogSocket = socketPath;
        await using var log = new AuditLog(_store, TimeProvider.System, _keys.HmacKey);
        await log.AppendAsync(Record(7));
        var written = await CheckpointAsync(log);

        var buffer = new byte[4096];
        var n = await syslog.ReceiveAsync(buffer, SocketFlags.None).WaitAsync(TimeSpan.FromSeconds(10));
        var message = Encoding.UTF8.GetString(buffer, 0, n);
        Assert.That(message, Does.StartWith("<37>shadowmcp-portal: audit-checkpoint {"));
        var received = AuditCheckpoint.Parse(message);
        Assert.That(received, Is.EqualTo(written));
        Assert.That(received!.Seq, Is.EqualTo(7));
        Assert.That(received.IsSignedBy(_keys.PublicKey!), Is.True);
        Assert.That(AuditVerifier.Verify(_store, AuditKeys.ReadOnly(_settings, _store.KeyDirectory), [message]), Is.Empty);
    }

    private static (int Code, string Out) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var root = new System.CommandLine.RootCommand("test");
        foreach (var c in ShadowMcp.Portal.Cli.PortalCommands.Create(stdout, new StringWriter())) root.Add(c);
        var invocation = new System.CommandLine.InvocationConfiguration { Output = stdout, Error = new StringWriter() };
        return (root.Parse(args).Invoke(invocation), stdout.ToString());
    }

    /// <summary>The attacks from the field report, each as the attacker who can write the store file would run it.</summary>
    public enum Attack { AppendChainedRow, EditAndRechainWithTheKey, DeleteAndRenumberWithTheKey, TruncateTailHeadFixed, DeleteEverything }

    private void Commit(Attack attack)
    {
        switch (attack)
        {
            case Attack.AppendChainedRow:
                AppendChainedRow(claimKeyed: false);
                break;
            case Attack.EditAndRechainWithTheKey:
                Exec("UPDATE portal_audit SET Outcome = 'denied' WHERE Seq = 3");
                Rechain(_keys.HmacKey);
                break;
            case Attack.DeleteAndRenumberWithTheKey:
                Exec("DELETE FROM portal_audit WHERE Seq = 3");
                Exec("UPDATE portal_audit SET Seq = Seq - 1 WHERE Seq > 3");
                Rechain(_keys.HmacKey);
                break;
            case Attack.TruncateTailHeadFixed:
                Exec("DELETE FROM portal_audit WHERE Seq > 4");
                Exec("UPDATE portal_audit_head SET Seq = 4, Hash = (SELECT Hash FROM portal_audit WHERE Seq = 4)");
                break;
            case Attack.DeleteEverything:
                Exec("DELETE FROM portal_audit");
                Exec("DELETE FROM portal_audit_head");
                break;
        }
    }

    [TestCase(Attack.AppendChainedRow, "row 7: changed")]
    [TestCase(Attack.EditAndRechainWithTheKey, "row 6: changed")]
    [TestCase(Attack.DeleteAndRenumberWithTheKey, "truncated")]
    [TestCase(Attack.TruncateTailHeadFixed, "row 6: truncated")]
    [TestCase(Attack.DeleteEverything, "row 6: truncated")]
    public void Cli_VerifyWithCheckpoints_DetectsEveryReforging(Attack attack, string reported)
    {
        var intact = Run("audit", "verify", "--checkpoints", _settings.CheckpointFile!, "--db", _store.Target.Location);
        Assert.That(intact.Code, Is.Zero, intact.Out);
        Commit(attack);
        var forged = Run("audit", "verify", "--checkpoints", _settings.CheckpointFile!, "--db", _store.Target.Location);
        Assert.That(forged.Code, Is.EqualTo((int)ShadowMcp.Core.ExitCode.TamperDetected), forged.Out);
        Assert.That(forged.Out, Does.Contain(reported));
    }

    [Test]
    public void Cli_VerifyWithCheckpoints_ExitsTamperDetectedOnTruncation()
    {
        var intact = Run("audit", "verify", "--checkpoints", _settings.CheckpointFile!, "--db", _store.Target.Location);
        Assert.That(intact.Code, Is.Zero, intact.Out);
        Exec("DELETE FROM portal_audit WHERE Seq > 4");
        Exec("UPDATE portal_audit_head SET Seq = 4, Hash = (SELECT Hash FROM portal_audit WHERE Seq = 4)");
        Assert.That(Run("audit", "verify", "--db", _store.Target.Location).Code, Is.Zero, "without checkpoints the cut is invisible");
        var cut = Run("audit", "verify", "--checkpoints", _settings.CheckpointFile!, "--db", _store.Target.Location);
        Assert.That(cut.Code, Is.EqualTo((int)ShadowMcp.Core.ExitCode.TamperDetected));
        Assert.That(cut.Out, Does.Contain("row 6: truncated"));
    }

    [Test]
    public async Task Writer_WritesPeriodicallyOnlyWhenRowsWereAdded()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        var config = new PortalConfig();
        config.Portal.Audit = _settings;
        await using var log = new AuditLog(_store, time, _keys.HmacKey);
        var writer = new CheckpointWriter(config, _store, log, _keys, time, NullLogger<CheckpointWriter>.Instance);
        var written = System.Threading.Channels.Channel.CreateUnbounded<AuditCheckpoint>();
        writer.Written += cp => written.Writer.TryWrite(cp);
        await writer.StartAsync(CancellationToken.None);

        await log.AppendAsync(Record(7));
        time.Advance(TimeSpan.FromSeconds(_settings.CheckpointSeconds));
        var first = await written.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.That(first.Seq, Is.EqualTo(7));

        // A tick with nothing new writes nothing; a new row is checkpointed at the next tick that sees it.
        time.Advance(TimeSpan.FromSeconds(_settings.CheckpointSeconds));
        await log.AppendAsync(Record(8));
        time.Advance(TimeSpan.FromSeconds(_settings.CheckpointSeconds));
        var second = await written.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.That(second.Seq, Is.EqualTo(8));
        await writer.StopAsync(CancellationToken.None);

        var seqs = File.ReadAllLines(_settings.CheckpointFile!).Select(l => AuditCheckpoint.Parse(l)!.Seq).ToList();
        Assert.That(seqs, Is.EqualTo(new long[] { 6, 7, 8 }), "one per head: set-up and each new row; none twice for the same head");
        Assert.That(Verify(), Is.Empty);
    }
}
