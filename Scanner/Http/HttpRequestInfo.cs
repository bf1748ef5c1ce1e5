namespace ShadowMcp.Scanner.Http;

/// <summary>
/// What a response, an SSE event or a JSON-RPC message repeats about the request it answers. One made by an
/// <see cref="HttpRequestPool"/> counts its holders (the request's own message, the queue of requests awaiting an
/// answer, the answer's message) and goes back to the pool, with its head, when the last one lets go.
/// </summary>
internal sealed class HttpRequestInfo(HttpMessageHead head, string path, string? host)
{
    private HttpMessageHead _head = head;
    private HttpRequestPool? _pool;
    private int _holders;

    public string Method => _head.Method;
    public string Path { get; private set; } = path;
    public string? Host { get; private set; } = host;
    public IReadOnlyList<KeyValuePair<string, string>> Headers => _head.Headers;

    /// <summary>The request head this info reads; the pool refills it with the info.</summary>
    internal HttpMessageHead Head => _head;

    internal int Holders => _holders;

    /// <summary>This info, now for <paramref name="head"/>, held by nobody yet and owned by <paramref name="pool"/>.</summary>
    internal HttpRequestInfo Refill(HttpMessageHead head, string path, string? host, HttpRequestPool pool)
    {
        _head = head;
        Path = path;
        Host = host;
        _pool = pool;
        _holders = 0;
        return this;
    }

    /// <summary>Back in its pool: lets go of the request's path, host and head texts until refilled.</summary>
    internal void Forget()
    {
        _head.Forget();
        Path = "";
        Host = null;
    }

    /// <summary>One more place refers to this request; a no-op for one that no pool owns.</summary>
    internal void Hold()
    {
        if (_pool is not null) _holders++;
    }

    /// <summary>A place no longer refers to it; the last one hands it back to its pool.</summary>
    internal void Release()
    {
        if (_pool is null || --_holders > 0) return;
        var pool = _pool;
        _pool = null;
        pool.Return(this);
    }

    /// <summary>Handed to a place that keeps it without counting (an h2c upgrade's stream 1): never refilled.</summary>
    internal void Pin() => _pool = null;
}
