using Microsoft.Extensions.Logging;

namespace ShadowMcp.Cli.Commands;

/// <summary>
/// A logger factory that builds the real one the first time a message at or above <paramref name="minimum"/> is
/// logged. Building it (a service provider, options, the console logger's queue thread) costs about a tenth of a
/// short scan's start-up, and most scans log nothing. The real loggers still apply every filter.
/// </summary>
internal sealed class DeferredLoggerFactory(LogLevel minimum, Func<ILoggerFactory> create) : ILoggerFactory
{
    private readonly LogLevel _minimum = minimum;
    private readonly Lazy<ILoggerFactory> _factory = new(create, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Whether the real factory exists (something was logged, or a provider added).</summary>
    internal bool IsBuilt => _factory.IsValueCreated;

    public ILogger CreateLogger(string categoryName) => new DeferredLogger(this, categoryName);

    public void AddProvider(ILoggerProvider provider) => _factory.Value.AddProvider(provider);

    private volatile bool _disposed;

    public void Dispose()
    {
        _disposed = true;
        // Disposing the real factory flushes the console queue; nothing to flush when it was never built.
        if (_factory.IsValueCreated) _factory.Value.Dispose();
    }

    private sealed class DeferredLogger(DeferredLoggerFactory owner, string category) : ILogger
    {
        private ILogger? _logger;

        // After the factory is disposed a message is dropped, as a disposed logger factory's would be, instead of
        // building a factory nobody disposes.
        private ILogger Logger => _logger ??= owner._disposed && !owner._factory.IsValueCreated
            ? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance
            : owner._factory.Value.CreateLogger(category);

        // Below the minimum nothing can pass any filter, so the answer needs no factory; at or above it the real
        // logger's filters decide.
        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None && logLevel >= owner._minimum && Logger.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel == LogLevel.None || logLevel < owner._minimum) return;
            Logger.Log(logLevel, eventId, state, exception, formatter);
        }

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => Logger.BeginScope(state);
    }
}
