using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ShadowMcp.Portal.Tests.Fixtures;

/// <summary>
/// A loopback HTTP forwarder that passes everything (Host and Origin included) through unchanged and streams the
/// answer back. With a bearer it adds it (the conformance client cannot send credentials; the portal stays
/// default-deny). With several targets it is a load balancer in front of portal replicas: round robin per request,
/// without affinity, unless the test pins it to one target.
/// </summary>
internal sealed class LoopbackForwarder : IAsyncDisposable
{
    private static readonly HashSet<string> HopByHop = new(StringComparer.OrdinalIgnoreCase)
        { "Connection", "Keep-Alive", "Transfer-Encoding", "Upgrade", "Proxy-Connection", "TE", "Trailer" };
    private readonly WebApplication _app;
    private readonly Uri[] _targets;
    private readonly int[] _forwarded;
    private readonly HttpClient _http = new(new SocketsHttpHandler { AllowAutoRedirect = false }) { Timeout = Timeout.InfiniteTimeSpan };
    private readonly CancellationTokenSource _stopping = new();
    private int _next = -1;
    private volatile int _pinned = -1;

    private LoopbackForwarder(WebApplication app, Uri[] targets)
    {
        _app = app;
        _targets = targets;
        _forwarded = new int[targets.Length];
    }

    public int Port => new Uri(_app.Urls.First()).Port;
    public string BaseUrl => _app.Urls.First();

    /// <summary>How many requests went to each target so far.</summary>
    public int Forwarded(int target) => Volatile.Read(ref _forwarded[target]);

    /// <summary>Sends every request to one target from now on (null: round robin again).</summary>
    public void Pin(int? target) => _pinned = target ?? -1;

    public static Task<LoopbackForwarder> StartAsync(string target, string bearer) => StartAsync([target], bearer);

    public static async Task<LoopbackForwarder> StartAsync(IReadOnlyList<string> targets, string? bearer = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var forwarder = new LoopbackForwarder(app, [.. targets.Select(t => new Uri(t))]);
        app.Run(ctx => forwarder.ForwardAsync(ctx, bearer));
        await app.StartAsync();
        return forwarder;
    }

    private async Task ForwardAsync(HttpContext ctx, string? bearer)
    {
        var index = _pinned >= 0 ? _pinned : (int)((uint)Interlocked.Increment(ref _next) % (uint)_targets.Length);
        Interlocked.Increment(ref _forwarded[index]);
        var target = new Uri(_targets[index], ctx.Request.Path + ctx.Request.QueryString);
        // A client's open event stream would hold shutdown for the host's whole timeout: end it when the test is done.
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ctx.RequestAborted, _stopping.Token);
        var ct = cts.Token;
        using var request = new HttpRequestMessage(new HttpMethod(ctx.Request.Method), target);
        if (ctx.Request.ContentLength > 0 || ctx.Request.Headers.ContainsKey("Transfer-Encoding"))
            request.Content = new StreamContent(ctx.Request.Body);
        foreach (var (name, values) in ctx.Request.Headers)
        {
            if (HopByHop.Contains(name)) continue;
            if (!request.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values))
                request.Content?.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
        }
        request.Headers.Host = ctx.Request.Host.Value;
        if (bearer is not null) request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", bearer);
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        ctx.Response.StatusCode = (int)response.StatusCode;
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
            if (!HopByHop.Contains(name)) ctx.Response.Headers[name] = values.ToArray();
        await using var body = await response.Content.ReadAsStreamAsync(ct);
        var buffer = new byte[8192];
        int read;
        while ((read = await body.ReadAsync(buffer, ct)) > 0)
        {
            await ctx.Response.Body.WriteAsync(buffer.AsMemory(0, read), ct);
            await ctx.Response.Body.FlushAsync(ct);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _http.Dispose();
        _stopping.Dispose();
    }
}
