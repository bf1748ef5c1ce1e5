using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ShadowMcp.Enforcer.Planning;
using ShadowMcp.Enforcer.Store;

namespace ShadowMcp.Enforcer.Backends;

/// <summary>
/// Tells another system (SOAR, ticketing, a custom firewall) about every block and unblock: one JSON event per
/// change, signed with HMAC-SHA256 over the body. Failed deliveries are retried with exponential backoff; an
/// event that still fails becomes a dead-letter row and the backend reports failure. Its state is what it has
/// announced, kept in the store, so nothing is announced twice.
/// </summary>
internal sealed class WebhookBackend(
    string name, Uri url, byte[]? secret, int retries, TimeSpan backoff, TimeSpan timeout, EnforcerStore store, TimeProvider time)
    : IEnforcementBackend
{
    public const string SignatureHeader = "X-ShadowMcp-Signature";
    public const string EventHeader = "X-ShadowMcp-Event";
    public const string DeliveryHeader = "X-ShadowMcp-Delivery";

    private static readonly HttpClient Http = new() { Timeout = Timeout.InfiniteTimeSpan };

    public string Name { get; } = name;

    public IReadOnlyList<BlockEntry> Select(IReadOnlyList<BlockEntry> desired) => desired;

    public Task<IReadOnlyList<BlockEntry>> ReadAsync(CancellationToken ct) => Task.FromResult(store.GetApplied(Name));

    public async Task ApplyAsync(IReadOnlyList<BlockEntry> state, CancellationToken ct)
    {
        var diff = BackendDiff.Compute(Name, store.GetApplied(Name), state);
        var events = diff.Removed.Select(e => ("unblock", e)).Concat(diff.Added.Select(e => ("block", e))).ToList();
        var dead = 0;
        foreach (var (kind, entry) in events)
        {
            if (!await DeliverAsync(kind, entry, ct)) dead++;
        }
        // Dead-lettered events are kept for replay, so the announced state moves on either way.
        store.SetState(Name, null, state, time.GetUtcNow().UtcDateTime);
        if (dead > 0) throw new BackendException($"{Name}: {dead} of {events.Count} events could not be delivered to {url} and were dead-lettered");
    }

    internal static string Sign(byte[] secret, byte[] body) => "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(secret, body));

    private async Task<bool> DeliverAsync(string kind, BlockEntry entry, CancellationToken ct)
    {
        var delivery = Guid.NewGuid().ToString("N");
        var body = JsonSerializer.SerializeToUtf8Bytes(new
        {
            @event = kind,
            id = delivery,
            at = time.GetUtcNow().UtcDateTime,
            backend = Name,
            key = entry.Key,
            entry,
        }, EntryJson.Options);
        var error = "";
        var attempts = 0;
        for (var attempt = 0; attempt <= retries; attempt++)
        {
            if (attempt > 0) await Task.Delay(backoff * Math.Pow(2, attempt - 1), time, ct);
            attempts++;
            using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new("application/json");
            request.Headers.Add(EventHeader, kind);
            request.Headers.Add(DeliveryHeader, delivery);
            if (secret is not null) request.Headers.Add(SignatureHeader, Sign(secret, body));
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
            limit.CancelAfter(timeout);
            try
            {
                using var response = await Http.SendAsync(request, limit.Token);
                if (response.IsSuccessStatusCode) return true;
                error = $"HTTP {(int)response.StatusCode}";
                // Other client errors will not get better by retrying.
                if ((int)response.StatusCode is >= 400 and < 500 && response.StatusCode is not (HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests))
                    break;
            }
            catch (HttpRequestException ex)
            {
                error = ex.Message;
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                error = $"no answer within {timeout.TotalMilliseconds} ms";
            }
        }
        store.AddDeadLetter(new DeadLetterRow
        {
            At = time.GetUtcNow().UtcDateTime, Url = url.ToString(), EventJson = Encoding.UTF8.GetString(body), Attempts = attempts, LastError = error,
        });
        return false;
    }
}
