using System.Globalization;

namespace ShadowMcp.Reports.Writers;

/// <summary>Invariant formatting shared by the writers.</summary>
internal static class Text
{
    public static string Time(DateTime utc) => utc.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static string Number(long n) => n.ToString(CultureInfo.InvariantCulture);

    public static string Number(double d) => d.ToString("0.###", CultureInfo.InvariantCulture);

    public static string OrNa(long? n) => n is { } v ? Number(v) : "n/a";
}
