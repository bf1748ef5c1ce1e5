using Microsoft.AspNetCore.Http;
using ShadowMcp.Admin.Html;
using ShadowMcp.Admin.Sources;

namespace ShadowMcp.Admin.Pages;

/// <summary>The governed portal's upstream servers, their tools and the policies in force.</summary>
internal static class PortalPage
{
    public static async Task<IResult> RenderAsync(PageContext page)
    {
        var overview = await page.Service<IPortalAdminSource>().GetOverviewAsync(page.Aborted).ConfigureAwait(false);
        var h = new HtmlBuilder();
        h.Add($"<h1>Portal</h1>");
        if (overview is null)
        {
            Fragments.NotConfigured(h, "The portal", "Servers, tools and policies appear here once the host runs the portal.");
            return Layout.Page(page, "Portal", AdminSection.Portal, h);
        }
        h.Add($"<h2>Servers ({overview.Servers.Count})</h2>");
        if (overview.Servers.Count == 0) Fragments.Notice(h, "off", "No upstream servers are registered.");
        else
        {
            h.Add($"<table data-test=\"servers\"><thead><tr><th>Name</th><th>Upstream</th><th>Transport</th><th>Status</th><th>Groups</th></tr></thead><tbody>");
            foreach (var s in overview.Servers)
                h.Add($"<tr><td>{s.Name}</td><td class=\"mono\">{s.Upstream}</td><td>{s.Transport}</td><td>{s.Status}</td><td>{string.Join(", ", s.Groups)}</td></tr>");
            h.Add($"</tbody></table>");
        }
        h.Add($"<h2>Tools ({overview.Tools.Count})</h2>");
        if (overview.Tools.Count == 0) Fragments.Notice(h, "off", "No tools are known.");
        else
        {
            h.Add($"<table data-test=\"tools\"><thead><tr><th>Server</th><th>Tool</th><th>Exposed</th><th>Description</th></tr></thead><tbody>");
            foreach (var t in overview.Tools)
                h.Add($"<tr><td>{t.Server}</td><td><code>{t.Name}</code></td><td>{(t.Exposed ? "yes" : "hidden")}</td><td>{t.Description}</td></tr>");
            h.Add($"</tbody></table>");
        }
        h.Add($"<h2>Policies ({overview.Policies.Count})</h2>");
        if (overview.Policies.Count == 0) Fragments.Notice(h, "off", "No policies are defined.");
        else
        {
            h.Add($"<table data-test=\"policies\"><thead><tr><th>Name</th><th>Effect</th><th>Subjects</th><th>Target</th><th>Description</th></tr></thead><tbody>");
            foreach (var p in overview.Policies)
                h.Add($"<tr><td>{p.Name}</td><td>{p.Effect}</td><td>{p.Subjects}</td><td class=\"mono\">{p.Target}</td><td>{p.Description}</td></tr>");
            h.Add($"</tbody></table>");
        }
        return Layout.Page(page, "Portal", AdminSection.Portal, h);
    }
}
