using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using ShadowMcp.Portal.Store;

namespace ShadowMcp.Portal.Audit;

/// <summary>
/// The chain hash: HMAC-SHA256 (with a key kept outside the store; SHA-256 for rows from before the key) over
/// the previous row's hash and every field except Seq, each length-prefixed so that no two field lists encode
/// alike. Leaving Seq out lets the verifier tell a reordered row (intact, wrong
/// place) from a changed one.
/// </summary>
internal static class AuditHasher
{
    public const string Genesis = "0000000000000000000000000000000000000000000000000000000000000000";

    /// <summary>The kind of rows hashed with the HMAC key; rows without a kind are the unkeyed ones from before.</summary>
    public const string Keyed = "hmac-sha256";

    /// <summary>The row's hash as its kind says: HMAC-SHA256 with the key, or unkeyed SHA-256 for old rows.</summary>
    /// <returns>null when the row is keyed and no key is at hand, or of a kind this version does not know.</returns>
    public static string? ComputeFor(AuditRow r, byte[]? key) => r.HashKind switch
    {
        null => Compute(r),
        Keyed when key is not null => Compute(r, key),
        _ => null,
    };

    public static string Compute(AuditRow r, byte[] key) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(Canonical(r))));

    public static string Compute(AuditRow r) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Canonical(r))));

    private static string Canonical(AuditRow r)
    {
        var sb = new StringBuilder(256);
        Add(sb, r.PrevHash);
        Add(sb, r.Time.UtcTicks.ToString(CultureInfo.InvariantCulture));
        Add(sb, r.User);
        Add(sb, r.Group);
        Add(sb, r.ClientName);
        Add(sb, r.ClientVersion);
        Add(sb, r.Server);
        Add(sb, r.Method);
        Add(sb, r.Tool);
        Add(sb, r.ArgumentBytes.ToString(CultureInfo.InvariantCulture));
        Add(sb, r.ArgumentHash);
        Add(sb, r.Arguments);
        Add(sb, r.DurationMs.ToString("R", CultureInfo.InvariantCulture));
        Add(sb, r.Outcome);
        Add(sb, r.Decision);
        Add(sb, r.DlpHits);
        // Only code-mode rows carry it, and only replicas on a shared store stamp Replica; leaving them out otherwise
        // keeps the hashes of every other row unchanged. With a replica, ExecutionId is always written (maybe as null)
        // so that no value can move from one field to the other under the same hash.
        if (r.ExecutionId is not null || r.Replica is not null) Add(sb, r.ExecutionId);
        if (r.Replica is not null) Add(sb, r.Replica);
        return sb.ToString();
    }

    private static void Add(StringBuilder sb, string? value)
    {
        if (value is null) { sb.Append("-1:"); return; }
        sb.Append(value.Length.ToString(CultureInfo.InvariantCulture)).Append(':').Append(value);
    }
}
