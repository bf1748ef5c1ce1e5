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
    private readonly ConcurrentDictionary<string, (DateTimeOffset Expiry, AdminPrincipal Principal)> _expiries = new(StringComparer.Ordinal);

    public string Create(AdminPrincipal principal)
    {
        Prune();
        var id = Base64Url(RandomNumberGenerator.GetBytes(32));
        _expiries[Key(id)] = (time.GetUtcNow() + options.Value.SessionLifetime, principal);
        return id;
    }

    public bool IsValid(string? id) => Find(id) is not null;

    /// <summary>Who the session belongs to, or null when it does not exist or has expired.</summary>
    public AdminPrincipal? Find(string? id)
    {
        if (string.IsNullOrEmpty(id) || id.Length > 100) return null;
        var key = Key(id);
        if (!_expiries.TryGetValue(key, out var entry)) return null;
        if (entry.Expiry > time.GetUtcNow()) return entry.Principal;
        _expiries.TryRemove(key, out _);
        return null;
    }

    public void End(string? id)
    {
        if (!string.IsNullOrEmpty(id) && id.Length <= 100) _expiries.TryRemove(Key(id), out _);
    }

    public int Count => _expiries.Count;

    private void Prune()
    {
        var now = time.GetUtcNow();
        foreach (var (key, entry) in _expiries)
            if (entry.Expiry <= now) _expiries.TryRemove(key, out _);
    }

    private static string Key(string id) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(id)));

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
