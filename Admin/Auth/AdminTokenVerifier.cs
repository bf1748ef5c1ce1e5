using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace ShadowMcp.Admin.Auth;

/// <summary>
/// Checks a presented admin token. Both sides are reduced to SHA-256 first and compared with
/// <see cref="CryptographicOperations.FixedTimeEquals"/>, so the time taken says nothing about the token's length or prefix.
/// </summary>
internal sealed class AdminTokenVerifier
{
    public const int MinimumTokenLength = 16;
    private const string HashPrefix = "sha256:";
    private readonly byte[]? _expected;

    public AdminTokenVerifier(IOptions<AdminOptions> options)
    {
        var o = options.Value;
        if (o.AdminTokenHash is { } hash && TryParseHash(hash, out var parsed)) _expected = parsed;
        else if (!string.IsNullOrEmpty(o.AdminToken) && o.AdminToken.Length >= MinimumTokenLength) _expected = Hash(o.AdminToken);
    }

    /// <summary>False when no usable token is configured: then nobody gets in.</summary>
    public bool IsConfigured => _expected is not null;

    public bool Verify(ReadOnlySpan<char> presented)
    {
        if (_expected is null || presented.IsEmpty) return false;
        return CryptographicOperations.FixedTimeEquals(Hash(presented), _expected);
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
