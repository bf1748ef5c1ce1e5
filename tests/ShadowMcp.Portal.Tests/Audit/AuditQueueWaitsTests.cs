using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using ShadowMcp.Portal.Audit;

namespace ShadowMcp.Portal.Tests.Audit;

/// <summary>
/// Calls that waited for room in the audit queue: every wait is measured, and operators get one warning at the
/// first and then at most one a minute summing the rest, not a line per call.
/// </summary>
public sealed class AuditQueueWaitsTests
{
    [Test]
    public void Waited_ManyWithinAMinute_WarnsOnceThenSumsTheRestInTheNextWarning()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 6, 12, 0, 0, TimeSpan.Zero));
        var log = new WarningsLog();
        var measured = new List<(TimeSpan Waited, bool Cancelled)>();
        var waits = new AuditQueueWaits(log, time, (w, c) => measured.Add((w, c)));

        waits.Waited(TimeSpan.FromMilliseconds(5), abandoned: false);
        for (var i = 0; i < 9; i++)
        {
            time.Advance(TimeSpan.FromSeconds(5));
            waits.Waited(TimeSpan.FromMilliseconds(40 + i), abandoned: i == 3);
        }
        Assert.That(log.Warnings, Has.Count.EqualTo(1), "a minute has not passed since the first warning");
        time.Advance(TimeSpan.FromSeconds(15));
        waits.Waited(TimeSpan.FromMilliseconds(2), abandoned: false);

        Assert.That(log.Warnings, Has.Count.EqualTo(2));
        Assert.That(log.Warnings[0], Does.StartWith("Audit queue full: 1 call(s) waited"));
        Assert.That(log.Warnings[1], Does.StartWith("Audit queue full: 10 call(s) waited").And.Contain("(1 cancelled while waiting; longest wait 48 ms)"));
        Assert.That(measured, Has.Count.EqualTo(11));
        Assert.That(measured.Count(m => m.Cancelled), Is.EqualTo(1));
        Assert.That(waits.Total, Is.EqualTo(11));
    }

    private sealed class WarningsLog : ILogger
    {
        public List<string> Warnings { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel == LogLevel.Warning) Warnings.Add(formatter(state, exception));
        }
    }
}
