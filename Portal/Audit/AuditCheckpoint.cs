using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;

namespace ShadowMcp.Portal.Audit;

/// <summary>
/// A signed statement of the audit log's state: its head (last Seq and hash), how many rows it held, and when.
/// Written where the portal cannot rewrite it, it anchors the chain: a row changed, re-chained, deleted or cut
/// off up to that head no longer matches a checkpoint, even for someone holding the HMAC key.
/// </summary>
internal sealed record AuditCheckpoint(long Seq, long Count, string Hash, DateTimeOffset Time, string Key, string Signature)
{
    private const string Domain = "shadowmcp-audit-checkpoint/v1";

    public static AuditCheckpoint Sign(long seq, long count, string hash, DateTimeOffset time, Ed25519PrivateKeyParameters key)
    {
        var signer = new Ed25519Signer();
        signer.Init(true, key);
        var message = Message(seq, count, hash, time);
        signer.BlockUpdate(message, 0, message.Length);
        var signature = Convert.ToBase64String(signer.GenerateSignature());
        return new AuditCheckpoint(seq, count, hash, time, KeyId(key.GeneratePublicKey()), signature);
    }

    public bool IsSignedBy(Ed25519PublicKeyParameters key)
    {
        byte[] signature;
        try { signature = Convert.FromBase64String(Signature); }
        catch (FormatException) { return false; }
        var verifier = new Ed25519Signer();
        verifier.Init(false, key);
        var message = Message(Seq, Count, Hash, Time);
        verifier.BlockUpdate(message, 0, message.Length);
        return verifier.VerifySignature(signature);
    }

    /// <summary>The first 16 hex digits of the public key: names which key signed, for the operator to compare.</summary>
    public static string KeyId(Ed25519PublicKeyParameters key) => Convert.ToHexStringLower(key.GetEncoded())[..16];

    public string ToJson() =>
        JsonSerializer.Serialize(new Line(1, Seq, Count, Hash, Time.UtcDateTime.ToString("O", CultureInfo.InvariantCulture), Key, Signature));

    /// <returns>null when the text is not a checkpoint line.</returns>
    public static AuditCheckpoint? Parse(string text)
    {
        // A syslog line carries a prefix before the JSON.
        var start = text.IndexOf('{', StringComparison.Ordinal);
        if (start < 0) return null;
        try
        {
            var line = JsonSerializer.Deserialize<Line>(text.AsSpan(start));
            if (line is null || line.V != 1 || line.Hash is null || line.Sig is null || line.Key is null) return null;
            var time = DateTimeOffset.Parse(line.Time ?? "", CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
            return new AuditCheckpoint(line.Seq, line.Count, line.Hash, time, line.Key, line.Sig);
        }
        catch (Exception e) when (e is JsonException or FormatException)
        {
            return null;
        }
    }

    private static byte[] Message(long seq, long count, string hash, DateTimeOffset time) => Encoding.UTF8.GetBytes(
        string.Create(CultureInfo.InvariantCulture, $"{Domain}\n{seq}\n{count}\n{hash}\n{time.UtcTicks}"));

    private sealed record Line(
        [property: JsonPropertyName("v")] int V,
        [property: JsonPropertyName("seq")] long Seq,
        [property: JsonPropertyName("count")] long Count,
        [property: JsonPropertyName("hash")] string? Hash,
        [property: JsonPropertyName("time")] string? Time,
        [property: JsonPropertyName("key")] string? Key,
        [property: JsonPropertyName("sig")] string? Sig);
}
