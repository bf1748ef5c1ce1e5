using Npgsql;

namespace ShadowMcp.Core.Store;

/// <summary>
/// Where the store lives, parsed from `--db`, $SHADOWMCP_DB or settings: a file path is the embedded SQLite store;
/// `postgres://user:pass@host:port/db`, `postgresql://...` or an Npgsql `Host=...;` string is a PostgreSQL server.
/// <see cref="Display"/> is the only form that may reach a log or an error message: its password is masked.
/// </summary>
public sealed class StoreTarget
{
    private const string Mask = "***";

    private StoreTarget(StoreProvider provider, string location, string display)
    {
        Provider = provider;
        Location = location;
        Display = display;
    }

    public StoreProvider Provider { get; }

    /// <summary>The SQLite file path, or the full Npgsql connection string (with its password: never print it).</summary>
    public string Location { get; }

    /// <summary>The target as written for people: the SQLite path, or the server URL with the password masked.</summary>
    public string Display { get; }

    /// <summary>For PostgreSQL, "host:port" (what an unreachable-server error names).</summary>
    public string Server
    {
        get
        {
            if (Provider != StoreProvider.Postgres) return Location;
            var b = new NpgsqlConnectionStringBuilder(Location);
            return $"{b.Host}:{b.Port}";
        }
    }

    public override string ToString() => Display;

    public static bool IsPostgres(string value) =>
        value.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase)
        || value.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase)
        || value.TrimStart().StartsWith("Host=", StringComparison.OrdinalIgnoreCase);

    /// <exception cref="StoreException">A PostgreSQL target that cannot be parsed (the message masks the password).</exception>
    public static StoreTarget Parse(string value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value);
        if (!IsPostgres(value)) return new StoreTarget(StoreProvider.Sqlite, value, value);
        try
        {
            var builder = value.Contains("://", StringComparison.Ordinal) ? FromUrl(value) : new NpgsqlConnectionStringBuilder(value);
            if (string.IsNullOrEmpty(builder.Host)) throw new FormatException("no host");
            if (string.IsNullOrEmpty(builder.Database)) throw new FormatException("no database name");
            return new StoreTarget(StoreProvider.Postgres, builder.ConnectionString, DisplayOf(builder));
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException or UriFormatException)
        {
            throw new StoreException($"{MaskRaw(value)}: not a PostgreSQL connection string ({ex.Message})", ex);
        }
    }

    private static NpgsqlConnectionStringBuilder FromUrl(string value)
    {
        var uri = new Uri(value);
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host,
            Port = uri.IsDefaultPort || uri.Port <= 0 ? 5432 : uri.Port,
            Database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/')),
        };
        if (uri.UserInfo.Length > 0)
        {
            var colon = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
            builder.Username = Uri.UnescapeDataString(colon < 0 ? uri.UserInfo : uri.UserInfo[..colon]);
            if (colon >= 0) builder.Password = Uri.UnescapeDataString(uri.UserInfo[(colon + 1)..]);
        }
        // ?sslmode=require&... : passed through as Npgsql keywords.
        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0) throw new FormatException($"query parameter without a value: {pair}");
            builder[Uri.UnescapeDataString(pair[..eq])] = Uri.UnescapeDataString(pair[(eq + 1)..]);
        }
        return builder;
    }

    private static string DisplayOf(NpgsqlConnectionStringBuilder b)
    {
        var user = string.IsNullOrEmpty(b.Username) ? "" : Uri.EscapeDataString(b.Username) + (string.IsNullOrEmpty(b.Password) ? "" : ":" + Mask) + "@";
        return $"postgres://{user}{b.Host}:{b.Port}/{Uri.EscapeDataString(b.Database ?? "")}";
    }

    // For a value that did not parse: drop everything between "://user:" and "@", and any Password= value.
    private static string MaskRaw(string value)
    {
        var at = value.LastIndexOf('@');
        var scheme = value.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0 && at > scheme)
        {
            var colon = value.IndexOf(':', scheme + 3);
            return colon >= 0 && colon < at ? value[..(colon + 1)] + Mask + value[at..] : value;
        }
        return System.Text.RegularExpressions.Regex.Replace(value, @"(?i)(password|pwd)\s*=\s*[^;]*", "$1=" + Mask);
    }
}
