namespace ShadowMcp.Scanner.Http;

/// <summary>
/// Request heads and their <see cref="HttpRequestInfo"/> of one connection, taken back when nothing refers to them any
/// more (answered and emitted) and refilled for a later request of this or a later flow (the pool goes with its
/// analyzer). It keeps as many as the connection may have in flight (pipelined HTTP/1.1 requests awaiting answers,
/// open HTTP/2 streams), so that a peer sending requests in bursts does not make each one anew, and goes back to a
/// few when its analyzer is recycled for another flow.
/// </summary>
internal sealed class HttpRequestPool(int maxKept)
{
    // What a flow at rest keeps: a connection rarely has more than a few requests in flight.
    private const int KeptAtRest = 4;
    // A kept head, its header list and its info; roughly.
    private const int BytesPerKept = 384;

    private readonly Stack<HttpMessageHead> _heads = new(KeptAtRest);
    private readonly Stack<HttpRequestInfo> _infos = new(KeptAtRest);

    /// <summary>Heap bytes of the kept heads and infos.</summary>
    public long HeldBytes => (long)Math.Max(_heads.Count, _infos.Count) * BytesPerKept;

    /// <summary>An ended request head for the parser to refill, or null.</summary>
    public HttpMessageHead? TakeHead() => _heads.TryPop(out var head) ? head : null;

    /// <summary>The info of a request just parsed, held by nobody yet.</summary>
    public HttpRequestInfo Rent(HttpMessageHead head, string path, string? host) =>
        (_infos.TryPop(out var info) ? info : new HttpRequestInfo(head, path, host)).Refill(head, path, host, this);

    /// <summary>Takes back an info whose last holder let go, and its head.</summary>
    public void Return(HttpRequestInfo info)
    {
        // Kept, they must not keep the request's texts alive (a 60 KiB user-agent per kept head): forgotten now.
        info.Forget();
        if (_heads.Count < maxKept) _heads.Push(info.Head);
        if (_infos.Count < maxKept) _infos.Push(info);
    }

    /// <summary>Back to what a flow at rest keeps (its analyzer goes to another flow).</summary>
    public void Trim()
    {
        while (_heads.Count > KeptAtRest) _heads.Pop();
        while (_infos.Count > KeptAtRest) _infos.Pop();
    }
}
