using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace ShadowMcp.Admin.Auth;

/// <summary>
/// Checks a presented token against the shared admin token and every named user's, and says who it belongs to. Both
/// sides are reduced to SHA-256 first and every configured hash is compared with
/// <see cref="CryptographicOperations.FixedTimeEquals"/>, so the time taken says nothing about the token, its prefix or
/// whose it is.
/// </summary>
internal sealed class AdminTokenVerifier
{
    public const int MinimumTokenLength = 16;
    private const string HashPrefix = "sha256:";
    private readonly List<(byte[] Hash, AdminPrincipal Principal)> _known = [];

    public AdminTokenVerifier(IOptions<AdminOptions> options)
    {
        var o = options.Value;
        var shared = new AdminPrincipal(AdminPrincipal.SharedTokenName, AdminRole.Admin);
        if (o.AdminTokenHash is { } hash && TryParseHash(hash, out var parsed)) _known.Add((parsed, shared));
        else if (!string.IsNullOrEmpty(o.AdminToken) && o.AdminToken.Length >= MinimumTokenLength) _known.Add((Hash(o.AdminToken), shared));
        foreach (var u in o.Users)
        {
            // The validator refuses bad entries at start; one that slips through signs nobody in.
            if (!Enum.TryParse<AdminRole>(u.Role, ignoreCase: true, out var role) || string.IsNullOrWhiteSpace(u.Name)) continue;
            var principal = new AdminPrincipal(u.Name, role);
            if (u.TokenHash is { } h && TryParseHash(h, out var userHash)) _known.Add((userHash, principal));
            else if (u.Token is { Length: >= MinimumTokenLength } t) _known.Add((Hash(t), principal));
        }
    }

    /// <summary>False when no usable token is configured: then nobody gets in.</summary>
    public bool IsConfigured => _known.Count > 0;

    public bool Verify(ReadOnlySpan<char> presented) => Identify(presented) is not null;

    /// <summary>Whose token this is, or null.</summary>
    public AdminPrincipal? Identify(ReadOnlySpan<char> presented)
    {
        if (_known.Count == 0 || presented.IsEmpty) return null;
        var hash = Hash(presented);
        AdminPrincipal? match = null;
        foreach (var (expected, principal) in _known)
            if (CryptographicOperations.FixedTimeEquals(hash, expected)) match ??= principal;
        return match;
    }

    /// <summary>The value to put in Admin:AdminTokenHash for <paramref name="token"/>.</summary>
    public static string HashText(string token) => HashPrefix + Convert.ToHexStringLower(Hash(token));

    public static bool TryParseHash(string text, out byte[] hash)
    {
        hash = [];
        var t = text.Trim();
        if (!t.StartsWith(HashPrefix, StringComparison.OrdinalIgnoreCase) || t.Length != HashPrefix.Length + 64) return false;
        try
        {
            hash = Convert.FromHexString(t.AsSpan(HashPrefix.Length));
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static byte[] Hash(ReadOnlySpan<char> token)
    {
        Span<byte> utf8 = token.Length <= 256 ? stackalloc byte[Encoding.UTF8.GetMaxByteCount(token.Length)] : new byte[Encoding.UTF8.GetMaxByteCount(token.Length)];
        var n = Encoding.UTF8.GetBytes(token, utf8);
        return SHA256.HashData(utf8[..n]);
    }
}
