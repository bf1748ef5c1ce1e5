using System.Security.Cryptography;
using System.Text;
using ShadowMcp.Portal.Store;

namespace ShadowMcp.Portal.Auth;

/// <summary>
/// Creates, revokes and checks API tokens. A token is "smcp_{id}_{secret}"; the store keeps only the SHA-256
/// of the whole token, so a leaked database cannot be replayed.
/// </summary>
internal sealed class ApiTokens(PortalStore store, TimeProvider time)
{
    public const string Prefix = "smcp_";

    /// <summary>
    /// How long a successful check is reused without reading the store. Revocations made in this process take
    /// effect at once; a revocation by another process (the CLI) within this time.
    /// </summary>
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(2);

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (ApiTokenRow Row, DateTimeOffset Until)> _valid = new(StringComparer.Ordinal);

    public (ApiTokenRow Row, string Token) Create(string group, string? name, TimeSpan? lifetime)
    {
        if (string.IsNullOrWhiteSpace(group)) throw new ArgumentException("a token needs a group", nameof(group));
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        var secret = Base64Url(RandomNumberGenerator.GetBytes(32));
        var token = $"{Prefix}{id}_{secret}";
        var now = time.GetUtcNow();
        var row = new ApiTokenRow
        {
            Id = id,
            Group = group,
            Name = name,
            SecretHash = Hash(token),
            CreatedAt = now,
            ExpiresAt = lifetime is { } l ? now + l : null,
        };
        using var db = store.Open();
        db.ApiTokens.Add(row);
        db.SaveChanges();
        return (row, token);
    }

    /// <returns>false when no token has this id.</returns>
    public bool Revoke(string id)
    {
        using var db = store.Open();
        var row = db.ApiTokens.Find(id);
        if (row is null) return false;
        row.RevokedAt ??= time.GetUtcNow();
        db.SaveChanges();
        foreach (var (hash, entry) in _valid)
            if (entry.Row.Id == id) _valid.TryRemove(hash, out _);
        return true;
    }

    public IReadOnlyList<ApiTokenRow> List()
    {
        using var db = store.Open();
        return db.ApiTokens.OrderBy(t => t.Id).ToList();
    }

    /// <summary>Checks a presented token. The failure reason is for the audit log, never for the client.</summary>
    public ApiTokenCheck Check(string token)
    {
        if (!token.StartsWith(Prefix, StringComparison.Ordinal) || token.Length > 200) return new(null, "not an API token");
        var hash = Hash(token);
        var now = time.GetUtcNow();
        if (_valid.TryGetValue(hash, out var cached) && cached.Until > now && (cached.Row.ExpiresAt is not { } e || e > now))
            return new(cached.Row, null);
        using var db = store.Open();
        var row = db.ApiTokens.FirstOrDefault(t => t.SecretHash == hash);
        if (row is null) return new(null, "unknown token");
        if (row.RevokedAt is not null) return new(null, $"token {row.Id} revoked");
        if (row.ExpiresAt is { } exp && exp <= now) return new(null, $"token {row.Id} expired");
        if (_valid.Count > 10_000) _valid.Clear();
        _valid[hash] = (row, now + CacheFor);
        return new(row, null);
    }

    internal static string Hash(string token) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
