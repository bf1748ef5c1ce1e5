using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using ShadowMcp.Core;
using ShadowMcp.Portal.Audit;
using ShadowMcp.Portal.Store;
using ShadowMcp.Portal.Tests.Fixtures;

namespace ShadowMcp.Portal.Tests.Audit;

/// <summary>
/// `audit import`: rows a portal wrote to its fallback file (store failing as it stopped) go into the chain once,
/// every field, time and replica as written, and `audit verify` stays intact; bad input imports nothing and leaves
/// the file. The files are made by a real <see cref="AuditLog"/> over a failing SQLite store (<see cref="AuditSpill"/>).
/// PostgreSQL, with a replica writing meanwhile: <see cref="PostgresAuditImportTests"/>.
/// </summary>
public sealed class AuditImportTests
{
    private static readonly byte[] Key = [.. Enumerable.Repeat((byte)7, 32)];
    private const string Secret = "sk-live-0123456789abcdef";

    // Every field set, text that JSON must escape, nulls where a row may have them.
    internal static readonly AuditRecord[] Spilled =
    [
        new("alice", "dev", "client \"quoted\"", "1.0", "alpha", "tools/call", "alpha_echo", 42, "ab12",
            $$"""{"text":"line1\nline2 ünïcødé ✓","token":"{{Secret}}"}""", 12.345, "ok", "group 'dev'", "email", "exec-1"),
        new("bob", "ops", null, null, null, "tools/list", null, 0, null, null, 0.5, "denied", "policy: no", null),
        new("carol\u2028", "", "c", "2", "beta", "resources/read", "beta_r", long.MaxValue, "ff", null, 1e-3, "error", "tab\there", "a,b"),
    ];

    private static (PortalStore Store, string Db) NewStore()
    {
        var db = Path.Combine(TempDir.Create(), "audit.db");
        var store = new PortalStore(db);
        AuditSpill.KeyBeside(store, Key);
        return (store, db);
    }

    private static Task<string> SpillAsync(PortalStore store) =>
        AuditSpill.SpillAsync(store, Key, "r1", [AuditRows.Record("user0")], Spilled);

    [Test]
    public async Task Import_SpilledRows_EnterTheChainWithEveryFieldTimeAndReplica_AndVerifyIsIntact()
    {
        var (store, db) = NewStore();
        var file = await SpillAsync(store);
        var bytes = File.ReadAllBytes(file);
        var written = File.ReadAllLines(file).Select(l => AuditSpillFile.Parse(System.Text.Encoding.UTF8.GetBytes(l))).ToList();
        Assert.That(written.Select(w => w.Record), Is.EqualTo(Spilled), "the file reads back as the records the portal held");

        var (code, output, err) = AuditSpill.Cli("audit", "import", "--db", db);

        Assert.That(code, Is.EqualTo((int)ExitCode.Success), err);
        Assert.That(output, Does.Contain($"imported 3 row(s) from {file}").And.Contain("as rows 2..4; summary row 5"));
        Assert.That(output + err, Does.Not.Contain(Secret));
        using (var ctx = store.Open())
        {
            var rows = ctx.Audit.AsNoTracking().OrderBy(r => r.Seq).ToList();
            Assert.That(rows.Select(r => r.Seq), Is.EqualTo(new long[] { 1, 2, 3, 4, 5 }));
            for (var i = 0; i < Spilled.Length; i++)
            {
                var (row, spilled) = (rows[i + 1], written[i]);
                Assert.That(Record(row), Is.EqualTo(Spilled[i]), $"row {row.Seq}");
                Assert.That(row.Time, Is.EqualTo(spilled.Time), $"row {row.Seq} keeps the time it was written with");
                Assert.That(row.Replica, Is.EqualTo("r1"));
                Assert.That(row.HashKind, Is.EqualTo(AuditHasher.Keyed));
            }
            var summary = rows[^1];
            Assert.That(summary.Method, Is.EqualTo(AuditImporter.Method));
            Assert.That(summary.ArgumentBytes, Is.EqualTo(bytes.Length));
            Assert.That(summary.ArgumentHash, Is.EqualTo(Convert.ToHexStringLower(SHA256.HashData(bytes))));
            Assert.That(summary.Decision, Does.StartWith($"3 row(s) imported from {file}"));
        }
        var verify = AuditSpill.Cli("audit", "verify", "--db", db);
        Assert.That(verify.Code, Is.EqualTo((int)ExitCode.Success), verify.Out);
        Assert.That(verify.Out, Does.Contain("checked 5 row(s) written by replicas r1 (4)").And.Contain("audit chain intact"));

        Assert.That(File.Exists(file), Is.False, "the next spill starts a new file");
        var renamed = Directory.GetFiles(Path.GetDirectoryName(file)!, "portal-audit-unwritten.imported-*.jsonl").Single();
        Assert.That(File.ReadAllBytes(renamed), Is.EqualTo(bytes));
        Assert.That(output, Does.Contain($"renamed it to {renamed}"));
    }

    [Test]
    public async Task Import_SameFileAgain_AddsNothing()
    {
        var (store, db) = NewStore();
        await SpillAsync(store);
        Assert.That(AuditSpill.Cli("audit", "import", "--db", db).Code, Is.Zero);
        var renamed = Directory.GetFiles(Path.GetDirectoryName(db)!, "*.imported-*.jsonl").Single();
        var before = AuditRows.Content(store);

        var (code, output, _) = AuditSpill.Cli("audit", "import", renamed, "--db", db);

        Assert.That(code, Is.EqualTo((int)ExitCode.Success));
        Assert.That(output, Does.Contain($"{renamed} was imported before (summary row 5); nothing added"));
        Assert.That(AuditRows.Content(store), Is.EqualTo(before));
        Assert.That(File.Exists(renamed), Is.True, "an imported file is not renamed twice");
    }

    [Test]
    public async Task Import_KilledBetweenCommitAndRename_RerunAddsNothingAndRenames()
    {
        var (store, db) = NewStore();
        var file = await SpillAsync(store);
        var bytes = File.ReadAllBytes(file);
        Assert.That(AuditSpill.Cli("audit", "import", "--db", db).Code, Is.Zero);
        // What a kill -9 after the commit leaves: the rows in the chain and the file still under its own name.
        foreach (var f in Directory.GetFiles(Path.GetDirectoryName(db)!, "*.imported-*.jsonl")) File.Delete(f);
        File.WriteAllBytes(file, bytes);
        var before = AuditRows.Content(store);

        var (code, output, err) = AuditSpill.Cli("audit", "import", "--db", db);

        Assert.That(code, Is.EqualTo((int)ExitCode.Success), err);
        Assert.That(output, Does.Contain("was imported before (summary row 5); nothing added"));
        Assert.That(AuditRows.Content(store), Is.EqualTo(before));
        Assert.That(File.Exists(file), Is.False);
        Assert.That(Directory.GetFiles(Path.GetDirectoryName(db)!, "*.imported-*.jsonl"), Has.Length.EqualTo(1));
    }

    [Test]
    public async Task Import_FileAppendedToAfterAnImport_TakesOnlyTheNewRows()
    {
        var (store, db) = NewStore();
        var file = await SpillAsync(store);
        var first = File.ReadAllBytes(file);
        Assert.That(AuditSpill.Cli("audit", "import", "--db", db).Code, Is.Zero);
        // The same file back (a crash before the rename) and then a later spill appended to it.
        File.WriteAllBytes(file, first);
        await AuditSpill.SpillAsync(store, Key, "r2", [], [AuditRows.Record("dave")]);

        var (code, output, err) = AuditSpill.Cli("audit", "import", "--db", db);

        Assert.That(code, Is.EqualTo((int)ExitCode.Success), err);
        Assert.That(output, Does.Contain("imported 1 row(s)").And.Contain("as rows 6..6; summary row 7"));
        Assert.That(AuditRows.UsersInSeqOrder(store), Is.EqualTo(new[] { "user0", "alice", "bob", "carol\u2028", Environment.UserName, "dave", Environment.UserName }));
        using (var ctx = store.Open())
            Assert.That(ctx.Audit.Single(r => r.Seq == 7).Decision, Does.Contain($"after its first {first.Length} bytes imported before"));
        Assert.That(AuditSpill.Cli("audit", "verify", "--db", db).Code, Is.Zero);
    }

    // A line as portals wrote them before lines could carry an "unconfirmed" mark.
    private const string LineBeforeMarks = """{"time":"2026-01-01T00:00:00+00:00","replica":"r1","record":{"User":"x","Group":"g","ClientName":null,"ClientVersion":null,"Server":null,"Method":"m","Tool":null,"ArgumentBytes":0,"ArgumentHash":null,"Arguments":null,"DurationMs":0,"Outcome":"ok","Decision":"d","DlpHits":null,"ExecutionId":null}}""";

    [Test]
    public async Task Import_FileWrittenBeforeTheUnconfirmedMark_ImportsAsBefore()
    {
        var (store, db) = NewStore();
        await using (var log = new AuditLog(store, TimeProvider.System, Key, "r1")) await log.AppendAsync(AuditRows.Record("user0"));
        var file = Path.Combine(store.KeyDirectory, AuditLog.FallbackFileName);
        File.WriteAllText(file, LineBeforeMarks + "\n" + LineBeforeMarks.Replace("\"x\"", "\"y\"", StringComparison.Ordinal) + "\n");

        var (code, output, err) = AuditSpill.Cli("audit", "import", "--db", db);

        Assert.That(code, Is.EqualTo((int)ExitCode.Success), err);
        Assert.That(output, Does.Contain("imported 2 row(s)").And.Not.Contain("skipped"));
        Assert.That(AuditRows.UsersInSeqOrder(store), Is.EqualTo(new[] { "user0", "x", "y", Environment.UserName }));
        Assert.That(AuditVerifier.Verify(store, AuditRows.KeysWith(Key), null), Is.Empty);
        var line = AuditSpillFile.Line(AuditSpillFile.Parse(System.Text.Encoding.UTF8.GetBytes(LineBeforeMarks)));
        Assert.That(line, Is.EqualTo(LineBeforeMarks), "a row without the mark is written as before, so older imports still read it");
    }

    // Each malformation on line 2 of three; the reason the error gives.
    [TestCase("""{"time":"2026-01-01T00:00:00+00:00","replica":"r1","record":{"User":"x""", "reached end of data", TestName = "Import_TruncatedLine_IsRefused")]
    [TestCase("""{"time":"2026-01-01T00:00:00+00:00","replica":"r1","record":{"User":"x","Group":"g","ClientName":null,"ClientVersion":null,"Server":null,"Method":"m","Tool":null,"ArgumentBytes":0,"ArgumentHash":null,"Arguments":null,"DurationMs":0,"Outcome":"ok","Decision":"d","DlpHits":null,"ExecutionId":null,"Extra":1}}""",
        "'Extra'", TestName = "Import_UnknownField_IsRefused")]
    [TestCase("""{"time":"2026-01-01T00:00:00+00:00","replica":"r1","note":"x","record":{"User":"x","Group":"g","ClientName":null,"ClientVersion":null,"Server":null,"Method":"m","Tool":null,"ArgumentBytes":0,"ArgumentHash":null,"Arguments":null,"DurationMs":0,"Outcome":"ok","Decision":"d","DlpHits":null,"ExecutionId":null}}""",
        "'note'", TestName = "Import_UnknownTopLevelField_IsRefused")]
    [TestCase("""{"replica":"r1","record":{"User":"x","Group":"g","ClientName":null,"ClientVersion":null,"Server":null,"Method":"m","Tool":null,"ArgumentBytes":0,"ArgumentHash":null,"Arguments":null,"DurationMs":0,"Outcome":"ok","Decision":"d","DlpHits":null,"ExecutionId":null}}""",
        "'time'", TestName = "Import_MissingTime_IsRefused")]
    [TestCase("""{"time":"2026-01-01T00:00:00+00:00","replica":"r1","record":{"User":null,"Group":"g","ClientName":null,"ClientVersion":null,"Server":null,"Method":"m","Tool":null,"ArgumentBytes":0,"ArgumentHash":null,"Arguments":null,"DurationMs":0,"Outcome":"ok","Decision":"d","DlpHits":null,"ExecutionId":null}}""",
        "User", TestName = "Import_NullWhereARowNeedsAValue_IsRefused")]
    [TestCase("""{"time":"2026-01-01T00:00:00+00:00","replica":"r1","record":{"User":"x","User":"y","Group":"g","ClientName":null,"ClientVersion":null,"Server":null,"Method":"m","Tool":null,"ArgumentBytes":0,"ArgumentHash":null,"Arguments":null,"DurationMs":0,"Outcome":"ok","Decision":"d","DlpHits":null,"ExecutionId":null}}""",
        "User", TestName = "Import_FieldGivenTwice_IsRefused")]
    [TestCase("""{"time":"2026-01-01T00:00:00+00:00","replica":"r1","record":{"User":"x","Group":"g","ClientName":null,"ClientVersion":null,"Server":null,"Method":"m","Tool":null,"ArgumentBytes":"0","ArgumentHash":null,"Arguments":null,"DurationMs":0,"Outcome":"ok","Decision":"d","DlpHits":null,"ExecutionId":null}}""",
        "ArgumentBytes", TestName = "Import_WrongType_IsRefused")]
    [TestCase("""{"time":"2026-01-01T00:00:00+00:00","replica":"r1","record":{"User":"x","Group":"g","ClientName":null,"ClientVersion":null,"Server":null,"Method":"m","Tool":null,"ArgumentBytes":0,"ArgumentHash":null,"Arguments":null,"DurationMs":0,"Outcome":"ok","Decision":"d","DlpHits":null,"ExecutionId":null},"unconfirmed":{"seq":3,"headSeq":2,"head":"00"}}""",
        "'unconfirmed' does not name a place in the chain", TestName = "Import_UnconfirmedMarkThatNamesNoPlace_IsRefused")]
    public async Task Import_MalformedLine_NamesFileAndLine_ImportsNothing_LeavesTheFile(string badLine, string reason)
    {
        var (store, db) = NewStore();
        var file = await SpillAsync(store);
        var lines = File.ReadAllLines(file);
        File.WriteAllLines(file, [lines[0], badLine.Replace("\"x\"", $"\"{Secret}\"", StringComparison.Ordinal), lines[2]]);
        var bytes = File.ReadAllBytes(file);
        var before = AuditRows.Content(store);

        var (code, output, err) = AuditSpill.Cli("audit", "import", "--db", db);

        Assert.That(code, Is.EqualTo((int)ExitCode.InvalidInput));
        Assert.That(err, Does.Contain($"audit import: {file}:2: not an audit row as the portal writes it").And.Contain(reason)
            .And.Contain("nothing was imported and the file is left as it is"));
        Assert.That(output + err, Does.Not.Contain(Secret), "the line's content is never echoed");
        Assert.That(AuditRows.Content(store), Is.EqualTo(before));
        Assert.That(File.ReadAllBytes(file), Is.EqualTo(bytes));
    }

    [Test]
    public async Task Import_WithAnotherKeyThanTheChains_IsRefused()
    {
        var (store, db) = NewStore();
        var file = await SpillAsync(store);
        var other = Path.Combine(TempDir.Create(), "other.key");
        File.WriteAllText(other, Convert.ToHexStringLower(Enumerable.Repeat((byte)9, 32).ToArray()));
        var before = AuditRows.Content(store);

        var (code, _, err) = AuditSpill.Cli("audit", "import", "--db", db, "--key-file", other);

        Assert.That(code, Is.EqualTo((int)ExitCode.Usage));
        Assert.That(err, Does.Contain("does not verify with this audit key"));
        Assert.That(AuditRows.Content(store), Is.EqualTo(before));
        Assert.That(File.Exists(file), Is.True);
    }

    [Test]
    public async Task Import_KeyedChainWithoutTheKey_IsRefused()
    {
        var (store, db) = NewStore();
        var file = await SpillAsync(store);
        File.Delete(Path.Combine(store.KeyDirectory, AuditKeys.DefaultKeyName));

        var (code, _, err) = AuditSpill.Cli("audit", "import", "--db", db);

        Assert.That(code, Is.EqualTo((int)ExitCode.Usage));
        Assert.That(err, Does.Contain("no audit HMAC key was found"));
        Assert.That(AuditSpill.RowCount(store), Is.EqualTo(1));
        Assert.That(File.Exists(file), Is.True);
    }

    [Test]
    public void Import_NoFallbackFile_IsNotFound()
    {
        var (_, db) = NewStore();
        var (code, _, err) = AuditSpill.Cli("audit", "import", "--db", db);
        Assert.That(code, Is.EqualTo((int)ExitCode.NotFound));
        Assert.That(err, Does.Contain(AuditLog.FallbackFileName + " does not exist"));
    }

    internal static AuditRecord Record(AuditRow r) => new(r.User, r.Group, r.ClientName, r.ClientVersion, r.Server, r.Method, r.Tool,
        r.ArgumentBytes, r.ArgumentHash, r.Arguments, r.DurationMs, r.Outcome, r.Decision, r.DlpHits, r.ExecutionId);
}
