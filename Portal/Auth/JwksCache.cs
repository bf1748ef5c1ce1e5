using Microsoft.IdentityModel.Tokens;

namespace ShadowMcp.Portal.Auth;

/// <summary>
/// Signing keys from the issuer's JWKS. Fetched on first use, refreshed after the TTL, and re-fetched early
/// (at most once a minute) when a token names a key id we do not hold, which is how key rotation shows up.
/// </summary>
internal sealed class JwksCache(HttpClient http, string jwksUrl, TimeProvider time)
{
    private static readonly TimeSpan Ttl = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan MinRefetch = TimeSpan.FromMinutes(1);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private IReadOnlyList<SecurityKey> _keys = [];
    private DateTimeOffset _fetchedAt = DateTimeOffset.MinValue;

    public async Task<IReadOnlyList<SecurityKey>> GetKeysAsync(string? kid, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var stale = now - _fetchedAt > Ttl;
        var missing = kid is not null && !_keys.Any(k => k.KeyId == kid) && now - _fetchedAt > MinRefetch;
        if (!stale && !missing) return _keys;
        await _gate.WaitAsync(ct);
        try
        {
            if (time.GetUtcNow() - _fetchedAt <= MinRefetch && _keys.Count > 0) return _keys;
            var json = await http.GetStringAsync(jwksUrl, ct);
            _keys = new JsonWebKeySet(json).GetSigningKeys().ToList();
            _fetchedAt = time.GetUtcNow();
            return _keys;
        }
        catch (Exception e) when (e is HttpRequestException or ArgumentException or TaskCanceledException)
        {
            // Keep the old keys: an unreachable JWKS endpoint must not log everybody out at once.
            return _keys;
        }
        finally { _gate.Release(); }
    }
}
