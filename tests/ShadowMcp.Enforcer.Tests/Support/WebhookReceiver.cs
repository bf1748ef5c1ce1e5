using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ShadowMcp.Enforcer.Tests.Support;

/// <summary>
/// A webhook receiver on 127.0.0.1 that checks the HMAC-SHA256 signature the way a consumer would, and can be
/// told to fail the first N deliveries.
/// </summary>
internal sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _failuresLeft;

    public ConcurrentQueue<JsonElement> Accepted { get; } = new();
    public int Requests;
    public int BadSignatures;
    public string Url { get; }

    private WebhookReceiver(WebApplication app, string url)
    {
        _app = app;
        Url = url;
    }

    public static async Task<WebhookReceiver> StartAsync(byte[] secret, int failFirst)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        WebhookReceiver? self = null;
        app.MapPost("/hook", async (HttpContext ctx) =>
        {
            Interlocked.Increment(ref self!.Requests);
            using var ms = new MemoryStream();
            await ctx.Request.Body.CopyToAsync(ms);
            var body = ms.ToArray();
            var expected = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(secret, body));
            if (ctx.Request.Headers["X-ShadowMcp-Signature"] != expected)
            {
                Interlocked.Increment(ref self.BadSignatures);
                return Results.StatusCode(401);
            }
            if (Interlocked.Decrement(ref self._failuresLeft) >= 0) return Results.StatusCode(503);
            self.Accepted.Enqueue(JsonDocument.Parse(body).RootElement.Clone());
            return Results.Ok();
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        self = new WebhookReceiver(app, address + "/hook") { _failuresLeft = failFirst };
        return self;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
