using ShadowMcp.Admin.Html;
using ShadowMcp.Core.Findings;

namespace ShadowMcp.Admin.Pages;

/// <summary>Small pieces several pages share.</summary>
internal static class Fragments
{
    public static void VerdictBadge(HtmlBuilder h, Verdict verdict)
    {
        var name = verdict.ToWire();
        h.Add($"<span class=\"badge v-{name}\">{name}</span>");
    }

    public static void Notice(HtmlBuilder h, string kind, string text) =>
        h.Add($"<p class=\"notice {kind}\" role=\"status\">{text}</p>");

    public static void NotConfigured(HtmlBuilder h, string what, string hint) =>
        h.Add($"<p class=\"notice off\" data-test=\"not-configured\"><strong>{what} is not configured on this host.</strong> {hint}</p>");

    public static void List(HtmlBuilder h, IEnumerable<string> items, string emptyText = "none seen")
    {
        var any = false;
        foreach (var item in items)
        {
            if (!any) h.Add($"<ul class=\"plain\">");
            any = true;
            h.Add($"<li><code>{item}</code></li>");
        }
        if (any) h.Add($"</ul>");
        else h.Add($"<span class=\"muted\">{emptyText}</span>");
    }
}
