using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ShadowMcp.Reports.Delivery;

/// <summary>
/// The webhook signature: <c>X-ShadowMcp-Signature: sha256=HEX(HMAC-SHA256(secret, timestamp + "." + body))</c> with
/// <c>X-ShadowMcp-Timestamp</c> in Unix seconds, so a receiver can reject replays as well as forgeries.
/// </summary>
public static class WebhookSignature
{
    public const string SignatureHeader = "X-ShadowMcp-Signature";
    public const string TimestampHeader = "X-ShadowMcp-Timestamp";

    public static string Compute(string secret, long unixSeconds, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.UTF8.GetBytes(unixSeconds.ToString(CultureInfo.InvariantCulture) + ".");
        var message = new byte[prefix.Length + body.Length];
        prefix.CopyTo(message, 0);
        body.CopyTo(message.AsSpan(prefix.Length));
        return "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), message));
    }

    /// <summary>Constant-time check of a received signature header.</summary>
    public static bool Verify(string secret, long unixSeconds, ReadOnlySpan<byte> body, string? header) =>
        header is not null && CryptographicOperations.FixedTimeEquals(
            Encoding.ASCII.GetBytes(Compute(secret, unixSeconds, body)), Encoding.ASCII.GetBytes(header));
}
