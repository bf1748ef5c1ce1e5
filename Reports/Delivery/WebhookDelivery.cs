using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Logging;
using ShadowMcp.Reports.Scheduling;

namespace ShadowMcp.Reports.Delivery;

/// <summary>
/// POSTs the JSON report, signed, retrying server errors, 408, 429 and network failures with doubling delays. Other
/// 4xx answers are final: retrying a rejected signature or URL would not help.
/// </summary>
internal sealed partial class WebhookDelivery(WebhookOptions options, TimeProvider time, ILogger logger, HttpMessageHandler? handler = null)
{
    public async Task<bool> DeliverAsync(string period, byte[] jsonBody, CancellationToken cancellationToken)
    {
        using var client = new HttpClient(handler ?? new SocketsHttpHandler(), disposeHandler: handler is null) { Timeout = options.Timeout };
        var delay = options.InitialRetryDelay;
        for (var attempt = 1; attempt <= Math.Max(1, options.MaxAttempts); attempt++)
        {
            var timestamp = time.GetUtcNow().ToUnixTimeSeconds();
            using var request = new HttpRequestMessage(HttpMethod.Post, options.Url) { Content = new ByteArrayContent(jsonBody) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
            request.Headers.Add(WebhookSignature.TimestampHeader, timestamp.ToString(CultureInfo.InvariantCulture));
            request.Headers.Add(WebhookSignature.SignatureHeader, WebhookSignature.Compute(options.Secret ?? "", timestamp, jsonBody));
            request.Headers.Add("X-ShadowMcp-Period", period);
            request.Headers.Add("Idempotency-Key", "shadowmcp-report-" + period);
            string failure;
            try
            {
                using var response = await client.SendAsync(request, cancellationToken).ConfigureAwait(false);
                if (response.IsSuccessStatusCode) return true;
                failure = $"HTTP {(int)response.StatusCode}";
                if (!Retryable(response.StatusCode))
                {
                    LogGaveUp(logger, period, failure);
                    return false;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                failure = ex.Message;
            }
            if (attempt == options.MaxAttempts) break;
            LogRetry(logger, period, attempt, failure, delay);
            await Task.Delay(delay, time, cancellationToken).ConfigureAwait(false);
            delay += delay;
        }
        LogGaveUp(logger, period, $"no success after {options.MaxAttempts} attempts");
        return false;
    }

    private static bool Retryable(HttpStatusCode status) =>
        (int)status >= 500 || status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Report {Period}: webhook attempt {Attempt} failed ({Failure}); retrying in {Delay}")]
    private static partial void LogRetry(ILogger logger, string period, int attempt, string failure, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Error, Message = "Report {Period}: webhook delivery failed: {Failure}")]
    private static partial void LogGaveUp(ILogger logger, string period, string failure);
}
