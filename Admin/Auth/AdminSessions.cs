using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace ShadowMcp.Admin.Auth;

/// <summary>
/// Logged-in browser sessions, in memory. The cookie carries a random 256-bit id, never the token; the table keys on
/// the id's SHA-256 so a memory dump does not hand out live cookies. A host restart logs everyone out.
/// </summary>
internal sealed class AdminSessions(IOptions<AdminOptions> options, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> _expiries = new(StringComparer.Ordinal);

    public string Create()
    {
        Prune();
        var id = Base64Url(RandomNumberGenerator.GetBytes(32));
        _expiries[Key(id)] = time.GetUtcNow() + options.Value.SessionLifetime;
        return id;
    }

    public bool IsValid(string? id)
    {
        if (string.IsNullOrEmpty(id) || id.Length > 100) return false;
        var key = Key(id);
        if (!_expiries.TryGetValue(key, out var expiry)) return false;
        if (expiry > time.GetUtcNow()) return true;
        _expiries.TryRemove(key, out _);
        return false;
    }

    public void End(string? id)
    {
        if (!string.IsNullOrEmpty(id) && id.Length <= 100) _expiries.TryRemove(Key(id), out _);
    }

    public int Count => _expiries.Count;

    private void Prune()
    {
        var now = time.GetUtcNow();
        foreach (var (key, expiry) in _expiries)
            if (expiry <= now) _expiries.TryRemove(key, out _);
    }

    private static string Key(string id) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(id)));

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
