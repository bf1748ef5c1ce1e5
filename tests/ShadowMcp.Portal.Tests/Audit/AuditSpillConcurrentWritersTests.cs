using System.Text;
using ShadowMcp.Core;
using ShadowMcp.Portal.Audit;
using ShadowMcp.Portal.Store;
using ShadowMcp.Portal.Tests.Fixtures;
using ShadowMcp.Tests;

namespace ShadowMcp.Portal.Tests.Audit;

/// <summary>
/// Review: portal replicas on one host share one fallback file. Two of them stopping with the store down spill into
/// it at the same moment, each through its own file handle (<see cref="AuditSpillWriter"/>, as the portal writes it).
/// Their lines must not overwrite or cut into each other, or `audit import` refuses the file or loses rows, and every
/// refusal must be in the audit trail. Rows are large (several KB, more than one write call each) so that a batch
/// spans many writes. Threads stand in for processes: each writer opens the file itself, so each has its own open
/// file (offset and lock) as a process would. An `audit import` run while they spill must read whole batches only
/// and never rename a file under a batch being appended.
/// </summary>
[Category(ExternalTools.IntegrationCategory)]
public sealed class AuditSpillConcurrentWritersTests
{
    private static readonly byte[] Key = [.. Enumerable.Repeat((byte)8, 32)];
    private const int Writers = 2;
    private const int Batches = 40;
    private const int RowsPerBatch = 8;
    private const int Rounds = 3;
    private const int BatchesPerRound = 8;
    // Long enough never to end a test's wait: a batch holds the lock for milliseconds.
    private static readonly TimeSpan LockWait = TimeSpan.FromMinutes(1);

    [Test]
    public async Task TwoReplicasSpillingIntoOneFileAtOnce_ImportTakesEveryRowOnce_NoLineTorn()
    {
        var (store, db) = NewStore();
        var file = Path.Combine(store.KeyDirectory, AuditLog.FallbackFileName);
        using var start = new Barrier(Writers);

        await Task.WhenAll(Enumerable.Range(0, Writers).Select(w => Task.Factory.StartNew(() =>
        {
            start.SignalAndWait();
            for (var b = 0; b < Batches; b++) AuditSpillWriter.AppendAsync(file, Batch(w, b), LockWait, TimeProvider.System).GetAwaiter().GetResult();
        }, TaskCreationOptions.LongRunning)));

        var lines = File.ReadAllLines(file);
        var (code, output, err) = AuditSpill.Cli("audit", "import", "--db", db);

        Assert.That(lines.Select((line, i) => (line, i)).Where(l => !Parses(l.line)).Select(l => l.i + 1), Is.Empty,
            $"every line of the {lines.Length} is one whole row (import said: {err.Trim()})");
        Assert.That(code, Is.EqualTo((int)ExitCode.Success), err);
        Assert.That(output, Does.Not.Contain("torn"));
        AssertEveryRowOnceInWriterOrder(store, [.. Enumerable.Repeat(Batches, Writers)]);
    }

    [Test]
    public async Task TwoPortalLogsClosingAtOnceWithTheStoreDown_ImportTakesEveryRowOnce()
    {
        // The same through the portal's own writer: two replicas' logs on one store that refuses every row, closed at
        // once, each spilling several batches of large rows into the shared fallback file.
        var (store, db) = NewStore();
        const int Rows = 600;
        var logs = Enumerable.Range(0, Writers).Select(w => new AuditLog(store, TimeProvider.System, Key, $"r{w}")).ToList();
        await logs[0].AppendAsync(AuditRows.Record("user0"));
        AuditSpill.Exec(store, AuditSpill.Refuse);
        var kept = logs.SelectMany((log, w) => Enumerable.Range(0, Rows).Select(i => log.AppendAsync(Batch(w, i, rowLength: 3000)[i % RowsPerBatch].Record with { User = $"w{w}-{i}" }))).ToList();
        foreach (var log in logs) await AuditOutage.WaitUntilFailingAsync(log);

        await Task.WhenAll(logs.Select(log => Task.Run(async () => await log.DisposeAsync())));
        foreach (var k in kept) Assert.That(async () => await k, Throws.InstanceOf<AuditUnavailableException>().With.Message.Contains("was written to"));
        AuditSpill.Exec(store, "DROP TRIGGER refuse;");
        var (code, output, err) = AuditSpill.Cli("audit", "import", "--db", db);

        Assert.That(code, Is.EqualTo((int)ExitCode.Success), err);
        Assert.That(output, Does.Not.Contain("torn"));
        var users = AuditRows.UsersInSeqOrder(store).Where(u => u.StartsWith('w')).ToList();
        for (var w = 0; w < Writers; w++)
            Assert.That(users.Where(u => u.StartsWith($"w{w}-", StringComparison.Ordinal)), Is.EqualTo(Enumerable.Range(0, Rows).Select(i => $"w{w}-{i}")),
                $"replica {w}'s rows are all in the chain, once, in the order they were handed in");
        Assert.That(AuditVerifier.Verify(store, AuditRows.KeysWith(Key), null), Is.Empty);
    }

    [Test]
    public async Task ImportWhileReplicasKeepSpilling_EveryRowOnce_NoneLeftInARenamedFile_NoBatchReadHalfWritten()
    {
        var (store, db) = NewStore();
        var file = Path.Combine(store.KeyDirectory, AuditLog.FallbackFileName);
        var importsDone = 0;
        var stop = 0;
        var written = new int[Writers];
        // The replicas spill in rounds and let an import finish between two (a portal takes its next batch from its
        // queue between spills; the lock is not fair, and a writer that never paused could keep it from the import).
        // Each round's batches race the import that started before it ended.
        var writers = Enumerable.Range(0, Writers).Select(w => Task.Factory.StartNew(() =>
        {
            for (var round = 0; round < Rounds && Volatile.Read(ref stop) == 0; round++)
            {
                for (var b = 0; b < BatchesPerRound; b++, written[w]++)
                    AuditSpillWriter.AppendAsync(file, Batch(w, written[w], rowLength: 500), LockWait, TimeProvider.System).GetAwaiter().GetResult();
                var next = round;
                SpinWait.SpinUntil(() => Volatile.Read(ref importsDone) > next || Volatile.Read(ref stop) != 0);
            }
        }, TaskCreationOptions.LongRunning)).ToList();

        var outputs = new List<string>();
        var whileWriting = 0;
        try
        {
            // Each import reads, commits and renames what is there; one more after the replicas stopped takes the rest.
            for (var writing = true; writing;)
            {
                writing = !writers.All(w => w.IsCompleted);
                var (code, output, err) = AuditSpill.Cli("audit", "import", "--db", db);
                Assert.That(code, Is.EqualTo((int)ExitCode.Success).Or.EqualTo((int)ExitCode.NotFound), err);
                outputs.Add(output + err);
                if (!writers.All(w => w.IsCompleted)) whileWriting++;
                Interlocked.Increment(ref importsDone);
            }
        }
        finally
        {
            Volatile.Write(ref stop, 1); // a failed import must not leave the writers waiting for the next one
        }
        await Task.WhenAll(writers);

        TestContext.Out.WriteLine($"batches {string.Join(",", written)}, imports {outputs.Count}, while writing {whileWriting}");
        Assert.That(whileWriting, Is.GreaterThan(0), "an import ran while the replicas were spilling");
        Assert.That(outputs, Has.None.Contain("torn"), "an import reads whole batches only: it never takes a batch being written for a torn line");
        Assert.That(File.Exists(file), Is.False, "the last import took the rest and renamed the file");
        AssertEveryRowOnceInWriterOrder(store, written);
    }

    /// <param name="batches">How many batches each writer spilled.</param>
    private static void AssertEveryRowOnceInWriterOrder(PortalStore store, int[] batches)
    {
        var users = AuditRows.UsersInSeqOrder(store).Where(u => u.StartsWith('w')).ToList();
        var expected = Enumerable.Range(0, Writers).SelectMany(w => Enumerable.Range(0, batches[w]).SelectMany(b => Batch(w, b, 1)))
            .Select(r => r.Record.User).ToList();
        Assert.That(users, Is.EquivalentTo(expected), "every row spilled is in the chain, once");
        for (var w = 0; w < Writers; w++)
            Assert.That(users.Where(u => u.StartsWith($"w{w}-", StringComparison.Ordinal)), Is.EqualTo(expected.Where(u => u.StartsWith($"w{w}-", StringComparison.Ordinal))),
                $"writer {w}'s rows keep its order");
        Assert.That(AuditVerifier.Verify(store, AuditRows.KeysWith(Key), null), Is.Empty);
    }

    // Rows of rowLength bytes and more (several KB unless told), unique per writer, batch and row, so a row lost,
    // doubled or cut shows.
    internal static List<SpilledRow> Batch(int writer, int batch, int rowLength = 6000) =>
    [
        .. Enumerable.Range(0, RowsPerBatch).Select(i =>
        {
            var user = $"w{writer}-b{batch}-r{i}";
            var arguments = $$"""{"text":"{{new string((char)('a' + writer), rowLength + 97 * i)}}","who":"{{user}}"}""";
            var record = new AuditRecord(user, "dev", "client", "1.0", "alpha", "tools/call", "alpha_t", arguments.Length, "abc",
                arguments, 1.5, "denied", "policy: no", null);
            return new SpilledRow(DateTimeOffset.UnixEpoch.AddSeconds(batch), $"r{writer}", record);
        }),
    ];

    private static bool Parses(string line)
    {
        try
        {
            AuditSpillFile.Parse(Encoding.UTF8.GetBytes(line));
            return true;
        }
        catch (System.Text.Json.JsonException)
        {
            return false;
        }
    }

    private static (PortalStore Store, string Db) NewStore()
    {
        var db = Path.Combine(TempDir.Create(), "audit.db");
        var store = new PortalStore(db);
        AuditSpill.KeyBeside(store, Key);
        return (store, db);
    }
}
