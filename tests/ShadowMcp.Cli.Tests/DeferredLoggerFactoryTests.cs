using Microsoft.Extensions.Logging;
using ShadowMcp.Cli.Commands;

namespace ShadowMcp.Cli.Tests;

/// <summary>
/// The CLI's logger factory is built when the first message at or above the minimum is logged: a scan that logs
/// nothing does not pay for it, and one that logs loses nothing and keeps every filter.
/// </summary>
public sealed class DeferredLoggerFactoryTests
{
    private sealed class Collector : ILoggerProvider
    {
        public List<string> Lines { get; } = [];
        public ILogger CreateLogger(string categoryName) => new Line(this, categoryName);
        public void Dispose() { }

        private sealed class Line(Collector owner, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
            public bool IsEnabled(LogLevel logLevel) => true;
            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                owner.Lines.Add($"{logLevel} {category}: {formatter(state, exception)}");
        }
    }

    private static (DeferredLoggerFactory Factory, Collector Collector, Func<int> Builds) Create(LogLevel minimum)
    {
        var collector = new Collector();
        var builds = 0;
        var factory = new DeferredLoggerFactory(minimum, () =>
        {
            builds++;
            return LoggerFactory.Create(b => b.SetMinimumLevel(minimum).AddFilter("Noisy", LogLevel.Error).AddProvider(collector));
        });
        return (factory, collector, () => builds);
    }

    [Test]
    public void NothingAtTheMinimum_BuildsNothing()
    {
        var (factory, collector, builds) = Create(LogLevel.Warning);
        var logger = factory.CreateLogger("shadowmcp.scan");
        logger.LogInformation("below the minimum");
        logger.LogDebug("below the minimum");
        Assert.That(logger.IsEnabled(LogLevel.Information), Is.False);
        factory.Dispose();

        Assert.That(builds(), Is.Zero);
        Assert.That(collector.Lines, Is.Empty);
    }

    [Test]
    public void AMessageAtTheMinimum_BuildsOnce_AndIsWritten_FiltersStillApply()
    {
        var (factory, collector, builds) = Create(LogLevel.Warning);
        var scan = factory.CreateLogger("shadowmcp.scan");
        var noisy = factory.CreateLogger("Noisy.Component");

        scan.LogWarning("capture {File} truncated", "a.pcap");
        noisy.LogWarning("filtered by category");
        noisy.LogError("passes the category filter");
        Assert.That(noisy.IsEnabled(LogLevel.Warning), Is.False, "the real filter answers once built");
        factory.Dispose();

        Assert.That(builds(), Is.EqualTo(1));
        Assert.That(collector.Lines, Is.EqualTo(new[]
        {
            "Warning shadowmcp.scan: capture a.pcap truncated",
            "Error Noisy.Component: passes the category filter",
        }));
    }

    [Test]
    public void AMessageAfterDispose_BuildsNothing()
    {
        var (factory, collector, builds) = Create(LogLevel.Warning);
        var logger = factory.CreateLogger("shadowmcp.sensor");
        factory.Dispose();

        logger.LogWarning("after the end");

        Assert.That(builds(), Is.Zero);
        Assert.That(collector.Lines, Is.Empty);
    }
}
