using ShadowMcp.Core;
using ShadowMcp.Portal.Audit;
using ShadowMcp.Portal.Store;
using ShadowMcp.Portal.Tests.Fixtures;

namespace ShadowMcp.Portal.Tests.Audit;

/// <summary>
/// Review: a portal killed with kill -9 while it spilled leaves a last line cut short, without its line end. The
/// import used to refuse the whole file for it, and the operator had to cut the line out by hand. Now that line is
/// not imported, is named (file, line, bytes) and stays in the file; the whole rows are imported. The same holds for
/// such a line that a later spill ended with its newline (its first row says so). Any other malformed line still
/// refuses the file. PostgreSQL: <see cref="PostgresAuditImportTests"/>.
/// </summary>
public sealed class AuditImportTornLineTests
{
    private static readonly byte[] Key = [.. Enumerable.Repeat((byte)7, 32)];

    [Test]
    public async Task Import_TornLastLine_ImportsTheWholeRows_NamesTheTornLineAndKeepsIt()
    {
        var (store, db) = NewStore();
        var file = await AuditSpill.SpillAsync(store, Key, "r1", [AuditRows.Record("user0")], AuditImportTests.Spilled);
        var torn = Tear(file);

        var (code, output, err) = AuditSpill.Cli("audit", "import", "--db", db);

        Assert.That(code, Is.EqualTo((int)ExitCode.Success), err);
        Assert.That(output, Does.Contain("imported 2 row(s)").And.Contain("as rows 2..3; summary row 4"));
        var renamed = Directory.GetFiles(Path.GetDirectoryName(file)!, "portal-audit-unwritten.imported-*.jsonl").Single();
        Assert.That(output, Does.Contain($"{file}:3: torn line ({torn.Length} bytes, no line end: a portal was killed while writing it): " +
            $"not imported, kept as line 3 of {renamed}"));
        Assert.That(File.ReadAllBytes(renamed)[^torn.Length..], Is.EqualTo(torn), "the torn bytes are kept as they were");
        Assert.That(AuditRows.UsersInSeqOrder(store), Is.EqualTo(new[] { "user0", "alice", "bob", Environment.UserName }));
        using (var ctx = store.Open())
            Assert.That(ctx.Audit.Single(r => r.Seq == 4).Decision, Does.Contain($"; line 3 ({torn.Length} bytes) torn, not imported"));
        Assert.That(AuditVerifier.Verify(store, AuditRows.KeysWith(Key), null), Is.Empty);

        var before = AuditRows.Content(store);
        var again = AuditSpill.Cli("audit", "import", renamed, "--db", db);
        Assert.That(again.Code, Is.EqualTo((int)ExitCode.Success), again.Err);
        Assert.That(again.Out, Does.Contain("was imported before (summary row 4); nothing added"));
        Assert.That(AuditRows.Content(store), Is.EqualTo(before), "a second run adds nothing");
        Assert.That(File.ReadAllBytes(renamed)[^torn.Length..], Is.EqualTo(torn));
    }

    [Test]
    public async Task Import_TornLineEndedByALaterSpill_ImportsTheWholeRowsOnBothSides()
    {
        var (store, db) = NewStore();
        var file = await AuditSpill.SpillAsync(store, Key, "r1", [AuditRows.Record("user0")], AuditImportTests.Spilled);
        var torn = Tear(file);
        await AuditSpill.SpillAsync(store, Key, "r2", [], [AuditRows.Record("dave")]);

        var (code, output, err) = AuditSpill.Cli("audit", "import", "--db", db);

        Assert.That(code, Is.EqualTo((int)ExitCode.Success), err);
        Assert.That(output, Does.Contain("imported 3 row(s)").And.Contain($"{file}:3: torn line ({torn.Length} bytes"));
        Assert.That(AuditRows.UsersInSeqOrder(store), Is.EqualTo(new[] { "user0", "alice", "bob", "dave", Environment.UserName }));
        Assert.That(AuditVerifier.Verify(store, AuditRows.KeysWith(Key), null), Is.Empty);
    }

    [Test]
    public async Task Import_TwoSpillsKilledInTurn_PassesOverBothTornLines()
    {
        // Killed while spilling, restarted with the store still down, killed again while the next spill wrote its
        // first row (the one that says it ended the first torn line): that row is torn too.
        var (store, db) = NewStore();
        var file = await AuditSpill.SpillAsync(store, Key, "r1", [AuditRows.Record("user0")], AuditImportTests.Spilled);
        var first = Tear(file);
        await AuditSpill.SpillAsync(store, Key, "r2", [], [AuditRows.Record("dave")]);
        var second = Tear(file);
        await AuditSpill.SpillAsync(store, Key, "r3", [], [AuditRows.Record("erin")]);

        var (code, output, err) = AuditSpill.Cli("audit", "import", "--db", db);

        Assert.That(code, Is.EqualTo((int)ExitCode.Success), err);
        Assert.That(output, Does.Contain("imported 3 row(s)").And.Contain($"{file}:3: torn line ({first.Length} bytes")
            .And.Contain($"{file}:4: torn line ({second.Length} bytes"));
        Assert.That(AuditRows.UsersInSeqOrder(store), Is.EqualTo(new[] { "user0", "alice", "bob", "erin", Environment.UserName }));
        Assert.That(AuditVerifier.Verify(store, AuditRows.KeysWith(Key), null), Is.Empty);
    }

    [Test]
    public async Task Import_CutShortLineThatNoLaterSpillEnded_IsRefused()
    {
        var (store, db) = NewStore();
        var file = await AuditSpill.SpillAsync(store, Key, "r1", [AuditRows.Record("user0")], AuditImportTests.Spilled);
        var torn = Tear(file);
        await AuditSpill.SpillAsync(store, Key, "r2", [], [AuditRows.Record("dave")]);
        // The later spill's row says how long the line it ended was; here it names another length.
        var text = File.ReadAllText(file).Replace($"\"tornLineBefore\":{torn.Length}", $"\"tornLineBefore\":{torn.Length + 1}", StringComparison.Ordinal);
        Assert.That(text, Does.Contain($"\"tornLineBefore\":{torn.Length + 1}"));
        File.WriteAllText(file, text);
        var before = AuditRows.Content(store);

        var (code, _, err) = AuditSpill.Cli("audit", "import", "--db", db);

        Assert.That(code, Is.EqualTo((int)ExitCode.InvalidInput));
        Assert.That(err, Does.Contain($"audit import: {file}:3: not an audit row as the portal writes it")
            .And.Contain("nothing was imported and the file is left as it is"));
        Assert.That(AuditRows.Content(store), Is.EqualTo(before));
        Assert.That(File.ReadAllText(file), Is.EqualTo(text));
    }

    [Test]
    public async Task Import_LastLineStillBeingWritten_IsReadAgainOnceWhole()
    {
        var (store, db) = NewStore();
        var spilled = await AuditSpill.SpillAsync(store, Key, "r1", [AuditRows.Record("user0")], AuditImportTests.Spilled);
        var whole = File.ReadAllBytes(spilled);
        // A copy named as imported is never renamed: it stands for a file a portal still writes (the rename would see it grow).
        var file = Path.Combine(Path.GetDirectoryName(spilled)!, "portal-audit-unwritten.imported-writing.jsonl");
        File.Move(spilled, file);
        var torn = Tear(file);

        var first = AuditSpill.Cli("audit", "import", file, "--db", db);
        File.WriteAllBytes(file, whole);
        var (code, output, err) = AuditSpill.Cli("audit", "import", file, "--db", db);

        Assert.That(first.Out, Does.Contain("imported 2 row(s)").And.Contain($"{file}:3: torn line ({torn.Length} bytes"));
        Assert.That(code, Is.EqualTo((int)ExitCode.Success), err);
        Assert.That(output, Does.Contain("imported 1 row(s)").And.Not.Contain("torn"));
        Assert.That(AuditRows.UsersInSeqOrder(store), Is.EqualTo(new[] { "user0", "alice", "bob", Environment.UserName, "carol\u2028", Environment.UserName }));
        Assert.That(AuditVerifier.Verify(store, AuditRows.KeysWith(Key), null), Is.Empty);
    }

    [TestCase("not json at all", TestName = "Import_UnterminatedLastLineThatIsNotJson_IsRefused")]
    [TestCase("""{"time":"2026-01-01T00:00:00+00:00"} trailing""", TestName = "Import_UnterminatedLastLineThatIsWholeButNotARow_IsRefused")]
    public async Task Import_UnterminatedLastLineThatIsNotACutShortRow_IsRefused(string last)
    {
        var (store, db) = NewStore();
        var file = await AuditSpill.SpillAsync(store, Key, "r1", [AuditRows.Record("user0")], AuditImportTests.Spilled);
        File.AppendAllText(file, last);
        var before = AuditRows.Content(store);

        var (code, _, err) = AuditSpill.Cli("audit", "import", "--db", db);

        Assert.That(code, Is.EqualTo((int)ExitCode.InvalidInput));
        Assert.That(err, Does.Contain($"audit import: {file}:4: not an audit row as the portal writes it"));
        Assert.That(AuditRows.Content(store), Is.EqualTo(before));
    }

    private static (PortalStore Store, string Db) NewStore()
    {
        var db = Path.Combine(TempDir.Create(), "audit.db");
        var store = new PortalStore(db);
        AuditSpill.KeyBeside(store, Key);
        return (store, db);
    }

    /// <summary>What kill -9 in the middle of writing the last line leaves; returns the torn line's bytes.</summary>
    internal static byte[] Tear(string file)
    {
        var bytes = File.ReadAllBytes(file);
        var kept = bytes[..(bytes.Length - 20)];
        File.WriteAllBytes(file, kept);
        return kept[(Array.LastIndexOf(kept, (byte)'\n') + 1)..];
    }
}
