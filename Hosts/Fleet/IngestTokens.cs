using System.Security.Cryptography;
using System.Text;

namespace ShadowMcp.Hosts.Fleet;

/// <summary>
/// Checks a presented host-ingest token against the configured ones, by SHA-256 and in fixed time, so the time
/// taken says nothing about how much of a token was right. No configured token means nobody gets in.
/// </summary>
public sealed class IngestTokens
{
    private const string HashPrefix = "sha256:";
    private readonly List<byte[]> _hashes = [];

    public IngestTokens(IEnumerable<string> configured)
    {
        foreach (var raw in configured)
        {
            var t = raw.Trim();
            if (t.StartsWith(HashPrefix, StringComparison.OrdinalIgnoreCase) && t.Length == HashPrefix.Length + 64)
            {
                try { _hashes.Add(Convert.FromHexString(t.AsSpan(HashPrefix.Length))); }
                catch (FormatException) { }
            }
            else if (t.Length >= HostIngestOptions.MinimumTokenLength) _hashes.Add(Hash(t));
        }
    }

    public bool IsConfigured => _hashes.Count > 0;

    public bool Verify(string? presented)
    {
        if (string.IsNullOrEmpty(presented)) return false;
        var hash = Hash(presented);
        var ok = false;
        // Every configured hash is compared, so which one matched is not visible in the timing either.
        foreach (var expected in _hashes) ok |= CryptographicOperations.FixedTimeEquals(hash, expected);
        return ok;
    }

    /// <summary>The token a request presents as <c>Authorization: Bearer ...</c>, or null.</summary>
    public static string? BearerOf(Microsoft.AspNetCore.Http.HttpRequest request)
    {
        var auth = request.Headers.Authorization.ToString();
        return auth.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? auth[7..].Trim() : null;
    }

    /// <summary>The value to configure for <paramref name="token"/> without storing the token itself.</summary>
    public static string HashText(string token) => HashPrefix + Convert.ToHexStringLower(Hash(token));

    private static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));
}
