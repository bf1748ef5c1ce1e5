using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ShadowMcp.Cli.Tests.Siem;

/// <summary>
/// A Splunk HTTP Event Collector stand-in on loopback (Kestrel), following Splunk's published contract for
/// `POST /services/collector/event`: `Authorization: Splunk TOKEN` (401 code 2 when missing, 401 code 4 when wrong),
/// a body of event objects back to back each with an `event` field (400 code 5 "No data", code 12 "Event field is
/// required", code 6 "Invalid data format"), 200 `{"text":"Success","code":0}` on success, 503 code 9 "Server is busy"
/// when overloaded. Failures to stage: <see cref="BusyFor"/> answers busy to the next n requests;
/// <see cref="DropAckFor"/> indexes the next n requests' events and then drops the connection, as a collector
/// that dies before answering would.
/// </summary>
internal sealed class HecStandIn : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _busy;
    private int _dropAck;
    private int _requests;

    public ConcurrentQueue<JsonElement> Events { get; } = new();
    public int Requests => _requests;
    public string Token { get; }
    public Uri Url { get; private set; } = null!;

    private HecStandIn(WebApplication app, string token)
    {
        _app = app;
        Token = token;
    }

    public void BusyFor(int requests) => Interlocked.Exchange(ref _busy, requests);
    public void DropAckFor(int requests) => Interlocked.Exchange(ref _dropAck, requests);

    public string[] Uids() => [.. Events.Select(e => e.GetProperty("metadata").GetProperty("uid").GetString()!)];

    public static async Task<HecStandIn> StartAsync(string token)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(System.Net.IPAddress.Loopback, 0));
        var app = builder.Build();
        var hec = new HecStandIn(app, token);
        app.MapPost("/services/collector/event", (Delegate)hec.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        hec.Url = new Uri(address);
        return hec;
    }

    private async Task<IResult> HandleAsync(HttpContext context)
    {
        Interlocked.Increment(ref _requests);
        var auth = context.Request.Headers.Authorization.ToString();
        if (auth.Length == 0) return Answer(401, "Token is required", 2);
        if (auth != "Splunk " + Token) return Answer(401, "Invalid token", 4);
        if (Interlocked.Decrement(ref _busy) >= 0) return Answer(503, "Server is busy", 9);
        Interlocked.Exchange(ref _busy, 0);

        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body);
        if (body.Length == 0) return Answer(400, "No data", 5);
        var events = new List<JsonElement>();
        var reader = new Utf8JsonReader(body.ToArray(), new JsonReaderOptions { AllowMultipleValues = true });
        try
        {
            while (reader.Read())
            {
                using var doc = JsonDocument.ParseValue(ref reader);
                if (doc.RootElement.ValueKind != JsonValueKind.Object) return Answer(400, "Invalid data format", 6);
                if (!doc.RootElement.TryGetProperty("event", out var e)) return Answer(400, "Event field is required", 12);
                events.Add(e.Clone());
            }
        }
        catch (JsonException) { return Answer(400, "Invalid data format", 6); }
        foreach (var e in events) Events.Enqueue(e);

        if (Interlocked.Decrement(ref _dropAck) >= 0)
        {
            context.Abort();
            return Results.Empty;
        }
        Interlocked.Exchange(ref _dropAck, 0);
        return Answer(200, "Success", 0);
    }

    private static IResult Answer(int status, string text, int code) =>
        Results.Json(new { text, code }, statusCode: status);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
