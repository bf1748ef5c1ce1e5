namespace ShadowMcp.Scanner.Http;

/// <summary>
/// Request heads and their <see cref="HttpRequestInfo"/> of one HTTP/1.x connection, taken back when nothing refers to
/// them any more (answered and emitted) and refilled for a later request of this or a later flow (the pool goes with
/// its analyzer). Bounded: a connection rarely has more than a few requests in flight.
/// </summary>
internal sealed class HttpRequestPool
{
    private const int MaxKept = 4;
    private readonly Stack<HttpMessageHead> _heads = new(MaxKept);
    private readonly Stack<HttpRequestInfo> _infos = new(MaxKept);

    /// <summary>An ended request head for the parser to refill, or null.</summary>
    public HttpMessageHead? TakeHead() => _heads.TryPop(out var head) ? head : null;

    /// <summary>The info of a request just parsed, held by nobody yet.</summary>
    public HttpRequestInfo Rent(HttpMessageHead head, string path, string? host) =>
        (_infos.TryPop(out var info) ? info : new HttpRequestInfo(head, path, host)).Refill(head, path, host, this);

    /// <summary>Takes back an info whose last holder let go, and its head.</summary>
    public void Return(HttpRequestInfo info)
    {
        if (_heads.Count < MaxKept) _heads.Push(info.Head);
        if (_infos.Count < MaxKept) _infos.Push(info);
    }
}
