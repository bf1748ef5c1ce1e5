using System.Text;

namespace ShadowMcp.Reports.Writers;

/// <summary>
/// One collapsible appendix section: a <c>&lt;details&gt;</c> whose summary names the section and its total, with at
/// most <see cref="AppendixCaps.Screen"/> items on screen; items past <paramref name="printCap"/> carry the class
/// <c>np</c>, which the print CSS hides, and a closing line says how many more there are and where to find them.
/// </summary>
internal static class HtmlAppendixSection
{
    public static void Write<T>(StringBuilder sb, string id, string title, IReadOnlyList<T> items, string link,
        string? tableHeader, Action<StringBuilder, T, string> item, int printCap = AppendixCaps.Print)
    {
        sb.Append("<details class=\"appendix\" id=\"").Append(id).Append("\"><summary>").Append(H(title)).Append(" (")
          .Append(Text.Count(items.Count)).Append(")</summary>\n");
        if (items.Count == 0)
        {
            sb.Append("<p>None in this period.</p></details>\n");
            return;
        }
        if (tableHeader is not null) sb.Append("<table><thead>").Append(tableHeader).Append("</thead><tbody>\n");
        var shown = Math.Min(items.Count, AppendixCaps.Screen);
        for (var i = 0; i < shown; i++) item(sb, items[i], i < printCap ? "" : "np");
        if (tableHeader is not null) sb.Append("</tbody></table>\n");
        if (items.Count > shown)
            More(sb, "screen", items.Count - shown, link);
        if (items.Count > printCap)
            More(sb, "print", items.Count - printCap, link);
        sb.Append("</details>\n");
    }

    /// <summary>A class attribute for a row or block, empty when there is no class.</summary>
    public static string Class(string cssClass) => cssClass.Length == 0 ? "" : $" class=\"{cssClass}\"";

    private static void More(StringBuilder sb, string medium, int more, string link) =>
        sb.Append("<p class=\"more only-").Append(medium).Append("\">and ").Append(Text.Count(more))
          .Append(" more — see the admin UI <a href=\"").Append(H(link)).Append("\">").Append(H(link)).Append("</a>")
          .Append(medium == "print" ? " or the HTML, CSV and JSON reports" : " or the CSV and JSON reports").Append(".</p>\n");

    private static string H(string value) => Text.Html(value);
}
