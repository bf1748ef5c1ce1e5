using System.Globalization;
using ShadowMcp.Core.Text;

namespace ShadowMcp.Reports.Writers;

/// <summary>Invariant formatting shared by the writers.</summary>
internal static class Text
{
    /// <summary>
    /// Wire text for the HTML report: markup encoded, and bidi, invisible and control characters shown as escapes
    /// (<see cref="DisplayText"/>), since a browser obeys a bidi override even as a character reference.
    /// </summary>
    public static string Html(string? value) => System.Net.WebUtility.HtmlEncode(DisplayText.Escape(value));

    public static string Time(DateTime utc) => utc.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>A plain number for machine-read output (CSV): no separators.</summary>
    public static string Number(long n) => n.ToString(CultureInfo.InvariantCulture);

    public static string Number(double d) => d.ToString("0.###", CultureInfo.InvariantCulture);

    /// <summary>A count for people to read (HTML, Markdown): thousands separators, "20,000".</summary>
    public static string Count(long n) => n.ToString("N0", CultureInfo.InvariantCulture);

    public static string OrNa(long? n) => n is { } v ? Count(v) : "n/a";

    /// <summary>"▲ 3", "▼ 2" or "= 0": the week-over-week change with its arrow.</summary>
    public static string Change(long change, string arrow) => arrow + " " + Count(Math.Abs(change));
}
