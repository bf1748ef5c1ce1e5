using System.Globalization;

namespace ShadowMcp.Admin.Html;

/// <summary>How values look on the pages: UTC times to the second, fixed-culture numbers.</summary>
internal static class HtmlFormat
{
    public static string Time(DateTime utc) =>
        utc == default ? "—" : DateTime.SpecifyKind(utc, DateTimeKind.Utc).ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    public static string Time(DateTimeOffset time) => Time(time.UtcDateTime);

    public static string Number(long n) => n.ToString("N0", CultureInfo.InvariantCulture);

    public static string Percent(double fraction) => fraction.ToString("P0", CultureInfo.InvariantCulture);

    public static string Bytes(long n) => n switch
    {
        < 1024 => $"{n} B",
        < 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{n / 1024.0:0.#} KiB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{n / (1024.0 * 1024):0.#} MiB"),
    };

    /// <summary>A query-string value, escaped for a URL (the builder then HTML-encodes the whole attribute).</summary>
    public static string Query(string? value) => Uri.EscapeDataString(value ?? "");
}
