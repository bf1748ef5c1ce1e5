using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using ShadowMcp.Portal.Audit;
using ShadowMcp.Portal.Store;
using ShadowMcp.Portal.Tests.Fixtures;

namespace ShadowMcp.Portal.Tests.Audit;

/// <summary>
/// The fallback file's lock (<see cref="AuditSpillLock"/>) held by someone else, as another replica's batch or an
/// import would hold it: a spill waits for it and then writes, and a closing portal never waits past its budget or
/// hangs; rows it could not keep anywhere are failed and reported lost, never dropped in silence.
/// </summary>
public sealed class AuditSpillLockTests
{
    private static readonly byte[] Key = [.. Enumerable.Repeat((byte)9, 32)];

    [Test]
    public async Task Append_WhileTheLockIsHeld_WaitsThenWritesOnceItIsFree()
    {
        var file = Path.Combine(TempDir.Create(), AuditLog.FallbackFileName);
        var time = new FakeTimeProvider();
        var other = await AuditSpillLock.TakeAsync(file, TimeSpan.Zero, TimeProvider.System);

        // Runs to its first wait at once: it has tried the lock and waits on the (fake) clock for the next try.
        var append = AuditSpillWriter.AppendAsync(file, AuditSpillConcurrentWritersTests.Batch(0, 0), TimeSpan.FromSeconds(10), time);
        Assert.That(append.IsCompleted, Is.False, "the lock is held: the writer waits");
        Assert.That(File.Exists(file), Is.False, "nothing is written while another holds the lock");

        other.Dispose();
        time.Advance(TimeSpan.FromSeconds(1));
        await append;

        Assert.That(File.ReadAllLines(file).Select(l => AuditSpillFile.Parse(System.Text.Encoding.UTF8.GetBytes(l)).Record.User),
            Is.EqualTo(AuditSpillConcurrentWritersTests.Batch(0, 0).Select(r => r.Record.User)));
    }

    [Test]
    public async Task Append_LockHeldPastTheWait_ThrowsTimeout_WritesNothing()
    {
        var file = Path.Combine(TempDir.Create(), AuditLog.FallbackFileName);
        using var other = await AuditSpillLock.TakeAsync(file, TimeSpan.Zero, TimeProvider.System);

        Assert.That(async () => await AuditSpillWriter.AppendAsync(file, AuditSpillConcurrentWritersTests.Batch(0, 0), TimeSpan.Zero, TimeProvider.System),
            Throws.InstanceOf<TimeoutException>().With.Message.Contains(AuditLog.FallbackFileName + AuditSpillLock.Suffix));
        Assert.That(File.Exists(file), Is.False);
    }

    [Test]
    public async Task Closing_LockHeldPastTheBudget_CloseEnds_RowsFailedAndReportedLost()
    {
        var store = new PortalStore(Path.Combine(TempDir.Create(), "audit.db"));
        var file = Path.Combine(store.KeyDirectory, AuditLog.FallbackFileName);
        using var other = await AuditSpillLock.TakeAsync(file, TimeSpan.Zero, TimeProvider.System);
        var logger = new CriticalLog();

        var kept = await CloseWithTheStoreDownAsync(store, new AuditLog(store, TimeProvider.System, Key, "r1", logger: logger) { SpillLockWait = TimeSpan.Zero });

        foreach (var k in kept)
            Assert.That(async () => await k, Throws.InstanceOf<AuditUnavailableException>().With.Message.Contains("could not be written"));
        Assert.That(File.Exists(file), Is.False);
        Assert.That(logger.Lines, Has.One.Contains($"the fallback file {file} could not be written (TimeoutException").And.Contains("3 audit row(s) are lost"));
    }

    [Test]
    public async Task Closing_FallbackFileCannotBeOpened_CloseEnds_RowsFailedAndReportedLost()
    {
        // Before: the exception ended the writer with the batch's completions unset, and the close waited for them forever.
        var store = new PortalStore(Path.Combine(TempDir.Create(), "audit.db"));
        var file = Path.Combine(store.KeyDirectory, "no-such-folder", AuditLog.FallbackFileName);
        var logger = new CriticalLog();

        var kept = await CloseWithTheStoreDownAsync(store, new AuditLog(store, TimeProvider.System, Key, "r1", logger: logger, fallbackFile: file));

        foreach (var k in kept)
            Assert.That(async () => await k, Throws.InstanceOf<AuditUnavailableException>().With.Message.Contains("could not be written"));
        Assert.That(logger.Lines, Has.One.Contains("(DirectoryNotFoundException").And.Contains("3 audit row(s) are lost"));
    }

    private static async Task<List<Task<long>>> CloseWithTheStoreDownAsync(PortalStore store, AuditLog log)
    {
        await log.AppendAsync(AuditRows.Record("user0"));
        AuditSpill.Exec(store, AuditSpill.Refuse);
        var kept = Enumerable.Range(1, 3).Select(i => log.AppendAsync(AuditRows.Record($"user{i}"))).ToList();
        await AuditOutage.WaitUntilFailingAsync(log);
        await log.DisposeAsync();
        return kept;
    }

    private sealed class CriticalLog : ILogger
    {
        public List<string> Lines { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel == LogLevel.Critical) lock (Lines) Lines.Add(formatter(state, exception));
        }
    }
}
