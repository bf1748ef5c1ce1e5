using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using ShadowMcp.Portal.Audit;
using ShadowMcp.Portal.Config;
using ShadowMcp.Portal.Store;

namespace ShadowMcp.Portal.Tests.Audit;

/// <summary>Records to append and the rows a store holds, shared by the audit queue and batch tests.</summary>
internal static class AuditRows
{
    public static AuditRecord Record(string user, int i = 0) =>
        new(user, "dev", "client", "1.0", "alpha", "tools/call", $"alpha_t{i}", 10 * i, "abc", null, 1.5, "ok", "group 'dev'",
            i % 3 == 0 ? "email" : null);

    public static List<string> UsersInSeqOrder(PortalStore store)
    {
        using var db = store.Open();
        return [.. db.Audit.AsNoTracking().OrderBy(r => r.Seq).Select(r => r.User)];
    }

    /// <summary>Every column of every row, in Seq order, as one comparable text.</summary>
    public static string Content(PortalStore store)
    {
        using var db = store.Open();
        return JsonSerializer.Serialize(db.Audit.AsNoTracking().OrderBy(r => r.Seq).ToList());
    }

    /// <summary>Keys holding <paramref name="key"/> as the HMAC key, for <see cref="AuditVerifier"/>.</summary>
    public static AuditKeys KeysWith(byte[] key)
    {
        var dir = Fixtures.TempDir.Create();
        var file = Path.Combine(dir, "test-audit.key");
        File.WriteAllText(file, Convert.ToHexStringLower(key));
        return AuditKeys.ReadOnly(new AuditSettings(), dir, file);
    }
}
