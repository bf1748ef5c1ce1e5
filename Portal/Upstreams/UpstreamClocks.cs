namespace ShadowMcp.Portal.Upstreams;

/// <summary>
/// The one object that owns the upstream deadlines of a caller session's calls in flight: while an upstream
/// waits on this caller (a question to a human, a sampling run) its clocks stop, and they restart in full when
/// the answer is in. The upstream connection hands each call's deadline to <see cref="Watch"/>; deadlines run on
/// the portal's <see cref="TimeProvider"/>, so pausing and expiry are testable without waiting.
/// </summary>
internal sealed class UpstreamClocks
{
    private readonly Dictionary<string, List<Clock>> _running = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _pauses = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    private sealed record Clock(CancellationTokenSource Deadline, TimeSpan Timeout);

    /// <summary>Registers a call's deadline until the returned object is disposed (paused at once if need be).</summary>
    public IDisposable Watch(string serverId, UpstreamDeadline call)
    {
        var clock = new Clock(call.Clock, call.Timeout);
        lock (_gate)
        {
            if (!_running.TryGetValue(serverId, out var list)) _running[serverId] = list = [];
            list.Add(clock);
            if (_pauses.GetValueOrDefault(serverId) > 0) clock.Deadline.CancelAfter(Timeout.InfiniteTimeSpan);
        }
        return new Scope(() => { lock (_gate) _running.GetValueOrDefault(serverId)?.Remove(clock); });
    }

    /// <summary>Stops every clock of <paramref name="serverId"/> until the returned object is disposed.</summary>
    public IDisposable Pause(string serverId)
    {
        lock (_gate)
        {
            _pauses[serverId] = _pauses.GetValueOrDefault(serverId) + 1;
            foreach (var clock in _running.GetValueOrDefault(serverId) ?? []) clock.Deadline.CancelAfter(Timeout.InfiniteTimeSpan);
        }
        return new Scope(() =>
        {
            lock (_gate)
            {
                var left = _pauses[serverId] - 1;
                _pauses[serverId] = left;
                if (left == 0)
                    foreach (var clock in _running.GetValueOrDefault(serverId) ?? []) clock.Deadline.CancelAfter(clock.Timeout);
            }
        });
    }

    /// <summary>Whether a call to <paramref name="serverId"/> is in flight (its private session is in use).</summary>
    public bool Running(string serverId)
    {
        lock (_gate) return _running.GetValueOrDefault(serverId) is { Count: > 0 };
    }

    private sealed class Scope(Action end) : IDisposable
    {
        private int _done;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0) end();
        }
    }
}
