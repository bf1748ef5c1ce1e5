using System.Net.Http.Headers;
using System.Text.Json;
using ShadowMcp.Portal.Config;

namespace ShadowMcp.Portal.Upstreams;

/// <summary>
/// Adds an upstream's static headers and, when configured, an OAuth client-credentials access token to every
/// request to that upstream. Tokens are cached until shortly before they expire. Nothing here reaches clients.
/// </summary>
internal sealed class UpstreamCredentialsHandler(UpstreamConfig upstream, TimeProvider time) : DelegatingHandler(new SocketsHttpHandler
{
    PooledConnectionLifetime = TimeSpan.FromMinutes(5),
    // The SSE/stream GET is long-lived; the per-request timeout is applied by the caller instead.
})
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private string? _accessToken;
    private DateTimeOffset _expiresAt;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        foreach (var (name, value) in upstream.Headers)
        {
            request.Headers.Remove(name);
            request.Headers.TryAddWithoutValidation(name, value);
        }
        if (upstream.OAuth is { } oauth)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await GetTokenAsync(oauth, ct));
        return await base.SendAsync(request, ct);
    }

    private async Task<string> GetTokenAsync(OAuthClientCredentials oauth, CancellationToken ct)
    {
        if (_accessToken is not null && time.GetUtcNow() < _expiresAt) return _accessToken;
        await _gate.WaitAsync(ct);
        try
        {
            if (_accessToken is not null && time.GetUtcNow() < _expiresAt) return _accessToken;
            var form = new Dictionary<string, string> { ["grant_type"] = "client_credentials" };
            if (oauth.Scope is not null) form["scope"] = oauth.Scope;
            using var request = new HttpRequestMessage(HttpMethod.Post, oauth.TokenUrl) { Content = new FormUrlEncodedContent(form) };
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
                Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{Uri.EscapeDataString(oauth.ClientId)}:{Uri.EscapeDataString(oauth.ClientSecret)}")));
            using var response = await base.SendAsync(request, ct);
            response.EnsureSuccessStatusCode();
            using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
            _accessToken = doc.RootElement.GetProperty("access_token").GetString()
                ?? throw new HttpRequestException("token endpoint returned no access_token");
            var lifetime = doc.RootElement.TryGetProperty("expires_in", out var e) && e.TryGetInt32(out var s) ? s : 300;
            _expiresAt = time.GetUtcNow().AddSeconds(Math.Max(lifetime - 30, 10));
            return _accessToken;
        }
        finally { _gate.Release(); }
    }
}
