using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using ShadowMcp.Reports.Delivery;
using ShadowMcp.Reports.Scheduling;

namespace ShadowMcp.Reports.Tests.Delivery;

[Category("Integration")]
public sealed class WebhookDeliveryTests
{
    private const string Secret = "test-secret";
    private WebApplication _app = null!;
    private string _url = "";
    private readonly ConcurrentQueue<(bool Valid, string Period, string Body)> _received = new();
    private int _failFirst;

    [SetUp]
    public async Task SetUp()
    {
        _received.Clear();
        _failFirst = 0;
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _app = builder.Build();
        _app.MapPost("/hook", async (HttpContext ctx) =>
        {
            using var ms = new MemoryStream();
            await ctx.Request.Body.CopyToAsync(ms);
            var body = ms.ToArray();
            var ts = long.Parse(ctx.Request.Headers[WebhookSignature.TimestampHeader].ToString(), System.Globalization.CultureInfo.InvariantCulture);
            var valid = WebhookSignature.Verify(Secret, ts, body, ctx.Request.Headers[WebhookSignature.SignatureHeader]);
            _received.Enqueue((valid, ctx.Request.Headers["X-ShadowMcp-Period"].ToString(), System.Text.Encoding.UTF8.GetString(body)));
            if (Interlocked.Decrement(ref _failFirst) >= 0) return Results.StatusCode(503);
            return valid ? Results.Ok() : Results.Unauthorized();
        });
        await _app.StartAsync();
        _url = _app.Urls.Single() + "/hook";
    }

    [TearDown]
    public async Task TearDown() => await _app.DisposeAsync();

    private WebhookDelivery Delivery(string secret, int attempts = 3) =>
        new(new WebhookOptions { Url = _url, Secret = secret, MaxAttempts = attempts, InitialRetryDelay = TimeSpan.FromMilliseconds(20) },
            TimeProvider.System, NullLogger.Instance);

    [Test]
    public async Task DeliverAsync_ServerFailsTwice_RetriesAndArrivesSigned()
    {
        _failFirst = 2;

        var ok = await Delivery(Secret).DeliverAsync("2026-W47", "{\"period\":\"2026-W47\"}"u8.ToArray(), CancellationToken.None);

        Assert.That(ok, Is.True);
        Assert.That(_received, Has.Count.EqualTo(3));
        Assert.That(_received.All(r => r.Valid && r.Period == "2026-W47" && r.Body == "{\"period\":\"2026-W47\"}"), Is.True);
    }

    [Test]
    public async Task DeliverAsync_WrongSecret_IsRejectedAndNotRetried()
    {
        var ok = await Delivery("wrong-secret").DeliverAsync("2026-W47", "{}"u8.ToArray(), CancellationToken.None);

        Assert.That(ok, Is.False);
        Assert.That(_received.Single().Valid, Is.False);
    }

    [Test]
    public async Task DeliverAsync_AlwaysFailing_GivesUpAfterMaxAttempts()
    {
        _failFirst = 100;

        var ok = await Delivery(Secret, attempts: 3).DeliverAsync("2026-W47", "{}"u8.ToArray(), CancellationToken.None);

        Assert.That(ok, Is.False);
        Assert.That(_received, Has.Count.EqualTo(3));
    }

    [Test]
    public void Verify_TamperedBody_Fails()
    {
        var sig = WebhookSignature.Compute(Secret, 1_700_000_000, "{\"a\":1}"u8);

        Assert.That(WebhookSignature.Verify(Secret, 1_700_000_000, "{\"a\":1}"u8, sig), Is.True);
        Assert.That(WebhookSignature.Verify(Secret, 1_700_000_000, "{\"a\":2}"u8, sig), Is.False);
        Assert.That(WebhookSignature.Verify(Secret, 1_700_000_001, "{\"a\":1}"u8, sig), Is.False);
    }
}
