using Microsoft.EntityFrameworkCore;
using ShadowMcp.Core;
using ShadowMcp.Portal.Audit;
using ShadowMcp.Portal.Config;
using ShadowMcp.Portal.Store;
using ShadowMcp.Portal.Tests.Fixtures;
using ShadowMcp.Tests;

namespace ShadowMcp.Portal.Tests.Audit;

/// <summary>
/// `audit import` into a real PostgreSQL chain while a portal replica keeps writing to it: the import takes the
/// replicas' lock like their batches, so the chain stays one, the imported rows sit together with their times and
/// replica, `audit verify` is intact, and a second import (or two at once) adds the file once. The file is spilled
/// by a real <see cref="AuditLog"/> over a failing SQLite store (its format does not depend on the store).
/// </summary>
[Category(ExternalTools.IntegrationCategory)]
public sealed class PostgresAuditImportTests
{
    private static readonly byte[] Key = [.. Enumerable.Repeat((byte)8, 32)];

    private static async Task<(PortalStore Store, string Url, string File, string KeyFile)> PrepareAsync(string name)
    {
        var url = LocalPostgres.CreateDatabase(name);
        var store = new PortalStore(url);
        var spillStore = new PortalStore(Path.Combine(TempDir.Create(), "spill.db"));
        var file = await AuditSpill.SpillAsync(spillStore, Key, "a", [], AuditImportTests.Spilled);
        var keyFile = Path.Combine(TempDir.Create(), "audit.key");
        File.WriteAllText(keyFile, Convert.ToHexStringLower(Key));
        return (store, url, file, keyFile);
    }

    [Test]
    public async Task Import_WhileAReplicaWrites_OneChainThatVerifies()
    {
        var (store, url, file, keyFile) = await PrepareAsync("auditimport");
        var written = File.ReadAllLines(file).Select(l => AuditSpillFile.Parse(System.Text.Encoding.UTF8.GetBytes(l))).ToList();
        const int ReplicaRows = 300;
        int code;
        string err;
        await using (var replica = new AuditLog(store, TimeProvider.System, Key, "b"))
        {
            await replica.AppendAsync(AuditRows.Record("b0"));
            // Both wait for the chain at once (held by the test as another replica's batch would hold it), then go.
            var hold = await AuditWriterHold.TakeAsync(store);
            var import = Task.Run(() => AuditSpill.Cli("audit", "import", file, "--db", url, "--key-file", keyFile));
            await AuditWriterHold.WaitForBlockedWriterAsync(store, 1);
            var writing = Enumerable.Range(1, ReplicaRows).Select(i => replica.AppendAsync(AuditRows.Record($"b{i}", i))).ToList();
            await AuditWriterHold.WaitForBlockedWriterAsync(store, 2);
            await AuditWriterHold.ReleaseAsync(hold);
            (code, _, err) = await import;
            await Task.WhenAll(writing);
        }

        Assert.That(code, Is.EqualTo((int)ExitCode.Success), err);
        using (var ctx = store.Open())
        {
            var rows = ctx.Audit.AsNoTracking().OrderBy(r => r.Seq).ToList();
            Assert.That(rows, Has.Count.EqualTo(1 + ReplicaRows + 3 + 1));
            var first = rows.FindIndex(r => r.User == "alice");
            var imported = rows.Skip(first).Take(4).ToList();
            Assert.That(imported.Take(3).Select(AuditImportTests.Record), Is.EqualTo(AuditImportTests.Spilled), "one transaction: together, in file order");
            Assert.That(imported.Take(3).Select(r => r.Time), Is.EqualTo(written.Select(w => w.Time)));
            Assert.That(imported.Take(3).Select(r => r.Replica), Is.All.EqualTo("a"));
            Assert.That(imported[3].Method, Is.EqualTo(AuditImporter.Method));
            Assert.That(imported[3].Replica, Is.EqualTo(Environment.MachineName), "the summary is stamped as a portal on this machine would be");
            Assert.That(rows.Where(r => r.Replica == "b").Select(r => r.User),
                Is.EqualTo(Enumerable.Range(0, ReplicaRows + 1).Select(i => $"b{i}")));
        }
        Assert.That(AuditVerifier.Verify(store, AuditRows.KeysWith(Key), null), Is.Empty);
    }

    [Test]
    public async Task Import_TornLastLine_ImportsTheWholeRows_NamesTheTornLineAndKeepsIt()
    {
        var (store, url, file, keyFile) = await PrepareAsync("auditimporttorn");
        var torn = AuditImportTornLineTests.Tear(file);

        var (code, output, err) = AuditSpill.Cli("audit", "import", file, "--db", url, "--key-file", keyFile);

        Assert.That(code, Is.EqualTo((int)ExitCode.Success), err);
        var renamed = Directory.GetFiles(Path.GetDirectoryName(file)!, "*.imported-*").Single();
        Assert.That(output, Does.Contain("imported 2 row(s)").And.Contain($"{file}:3: torn line ({torn.Length} bytes")
            .And.Contain($"kept as line 3 of {renamed}"));
        Assert.That(File.ReadAllBytes(renamed)[^torn.Length..], Is.EqualTo(torn));
        Assert.That(AuditRows.UsersInSeqOrder(store), Is.EqualTo(new[] { "alice", "bob", Environment.UserName }));
        Assert.That(AuditVerifier.Verify(store, AuditRows.KeysWith(Key), null), Is.Empty);
        var again = AuditSpill.Cli("audit", "import", renamed, "--db", url, "--key-file", keyFile);
        Assert.That(again.Out, Does.Contain("was imported before"));
        Assert.That(AuditRows.UsersInSeqOrder(store), Has.Count.EqualTo(3));
    }

    [Test]
    public async Task Import_TwoAtOnceThenAgain_AddsTheFileOnce()
    {
        var (store, url, file, keyFile) = await PrepareAsync("auditimporttwice");
        var copy = file + ".copy";
        File.Copy(file, copy);
        await using (var portal = new AuditLog(store, TimeProvider.System, Key, "b")) await portal.AppendAsync(AuditRows.Record("b0"));

        // The same bytes under two names, imported at once: both read the chain and wait for it (held by the test);
        // whichever holds it second finds the first's summary there, and starts over.
        var hold = await AuditWriterHold.TakeAsync(store);
        var both = new[] { file, copy }.Select(f => Task.Run(() => AuditSpill.Cli("audit", "import", f, "--db", url, "--key-file", keyFile))).ToList();
        await AuditWriterHold.WaitForBlockedWriterAsync(store, 2);
        await AuditWriterHold.ReleaseAsync(hold);
        var runs = await Task.WhenAll(both);
        var again = AuditSpill.Cli("audit", "import", Directory.GetFiles(Path.GetDirectoryName(file)!, "*.imported-*").First(),
            "--db", url, "--key-file", keyFile);

        Assert.That(runs.Select(r => r.Code).Append(again.Code), Is.All.Zero, string.Join("\n", runs.Select(r => r.Err)));
        Assert.That(runs.Count(r => r.Out.Contains("imported 3 row(s)", StringComparison.Ordinal)), Is.EqualTo(1));
        Assert.That(again.Out, Does.Contain("was imported before"));
        using (var ctx = store.Open())
        {
            Assert.That(ctx.Audit.Count(), Is.EqualTo(1 + 3 + 1));
            Assert.That(ctx.Audit.Count(r => r.Method == AuditImporter.Method), Is.EqualTo(1));
        }
        Assert.That(AuditVerifier.Verify(store, AuditRows.KeysWith(Key), null), Is.Empty);
    }
}
