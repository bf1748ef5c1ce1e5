using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using ShadowMcp.Portal.Store;

namespace ShadowMcp.Portal.Audit;

/// <summary>
/// The chain hash: SHA-256 over the previous row's hash and every field except Seq, each length-prefixed so
/// that no two field lists encode alike. Leaving Seq out lets the verifier tell a reordered row (intact, wrong
/// place) from a changed one.
/// </summary>
internal static class AuditHasher
{
    public const string Genesis = "0000000000000000000000000000000000000000000000000000000000000000";

    public static string Compute(AuditRow r)
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
        // Only code-mode rows carry it; leaving it out otherwise keeps the hashes of every other row unchanged.
        if (r.ExecutionId is not null) Add(sb, r.ExecutionId);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sb.ToString())));
    }

    private static void Add(StringBuilder sb, string? value)
    {
        if (value is null) { sb.Append("-1:"); return; }
        sb.Append(value.Length.ToString(CultureInfo.InvariantCulture)).Append(':').Append(value);
    }
}
