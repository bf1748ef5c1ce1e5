using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace ShadowMcp.Core.Store.Postgres;

/// <summary>Npgsql writes DateTimeOffset to `timestamptz` only with offset zero: store the same instant in UTC.</summary>
internal sealed class UtcDateTimeOffsetConverter() : ValueConverter<DateTimeOffset, DateTimeOffset>(v => v.ToUniversalTime(), v => v);
