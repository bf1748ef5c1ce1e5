using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace ShadowMcp.Core.Store.Postgres;

/// <summary>
/// Npgsql writes DateTime to `timestamptz` only when its Kind is Utc. Our times are UTC by contract but some arrive as
/// Unspecified (read back from SQLite or JSON); those are taken as UTC, Local ones are converted. Public so the
/// other modules' PostgreSQL contexts (the enforcer's) store times the same way.
/// </summary>
public sealed class UtcDateTimeConverter()
    : ValueConverter<DateTime, DateTime>(v => ToUtc(v), v => DateTime.SpecifyKind(v, DateTimeKind.Utc))
{
    public static DateTime ToUtc(DateTime v) => v.Kind switch
    {
        DateTimeKind.Utc => v,
        DateTimeKind.Local => v.ToUniversalTime(),
        _ => DateTime.SpecifyKind(v, DateTimeKind.Utc),
    };
}
