using Microsoft.AspNetCore.Http;
using ShadowMcp.Admin.Findings;
using ShadowMcp.Admin.Html;
using ShadowMcp.Core.Findings;
using ShadowMcp.Core.Inventory;
using ShadowMcp.Core.Reading;

namespace ShadowMcp.Admin.Pages;

/// <summary>
/// The machines that posted a host inventory (`shadowmcp host scan --report-to`): per host its latest scan, the MCP
/// servers its agents declare with their verdicts, and the plaintext credentials found (kind and place only).
/// </summary>
internal static class HostsPage
{
    public static async Task<IResult> RenderAsync(PageContext page)
    {
        IReadOnlyList<HostScan> scans;
        await using (var db = page.Service<AdminStore>().Open())
            scans = await new HostScanReader(db).LatestPerHostAsync(null, null, null, page.Aborted).ConfigureAwait(false);
        var h = new HtmlBuilder();
        h.Add($"<h1>Hosts</h1>");
        if (scans.Count == 0)
        {
            Fragments.Notice(h, "off",
                "No host has reported yet. Run `shadowmcp host scan --report-to` on your machines (docs/hosts.md).");
            return Layout.Page(page, "Hosts", AdminSection.Hosts, h);
        }

        h.Add($"<table data-test=\"hosts\"><thead><tr><th>Host</th><th>OS</th><th>Last scan (UTC)</th><th>Servers</th>");
        h.Add($"<th>Shadow</th><th>Secrets</th><th>Unreadable files</th></tr></thead><tbody>");
        foreach (var s in scans)
        {
            var at = s.ScannedAt.ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);
            h.Add($"<tr><td><a href=\"#host-{s.Id}\">{s.HostName}</a></td><td>{s.Os}</td><td>{at}</td>");
            h.Add($"<td>{s.Servers.Count}</td><td>{s.Servers.Count(x => x.Verdict == Verdict.Shadow)}</td>");
            h.Add($"<td>{s.Secrets.Count}</td><td>{s.Problems}</td></tr>");
        }
        h.Add($"</tbody></table>");

        foreach (var s in scans)
        {
            h.Add($"<h2 id=\"host-{s.Id}\">{s.HostName}</h2>");
            if (s.Servers.Count == 0) Fragments.Notice(h, "off", "No MCP server is configured on this host.");
            else
            {
                h.Add($"<table data-test=\"host-servers\"><thead><tr><th>Verdict</th><th>Agent</th><th>Server</th>");
                h.Add($"<th>Transport</th><th>Package or URL</th><th>Enabled</th><th>Config file</th></tr></thead><tbody>");
                // By the verdict's name, as before: sanctioned, shadow, suspected.
                var ordered = s.Servers.OrderBy(r => r.Verdict.ToWire(), StringComparer.Ordinal)
                    .ThenBy(r => r.Agent, StringComparer.Ordinal).ThenBy(r => r.Name, StringComparer.Ordinal);
                foreach (var r in ordered)
                {
                    h.Add($"<tr><td>");
                    Fragments.VerdictBadge(h, r.Verdict);
                    h.Add($"</td><td>{r.Agent}</td><td>{r.Name}</td><td>{r.Transport}</td><td class=\"mono\">{r.What}</td>");
                    h.Add($"<td>{(r.Enabled ? "yes" : "no")}</td><td class=\"mono\">{r.ConfigPath}</td></tr>");
                }
                h.Add($"</tbody></table>");
            }
            if (s.Secrets.Count > 0)
            {
                h.Add($"<h3>Plaintext secrets</h3><table data-test=\"host-secrets\"><thead><tr><th>Kind</th><th>Where</th>");
                h.Add($"<th>Server</th><th>Agent</th><th>Config file</th></tr></thead><tbody>");
                foreach (var x in s.Secrets)
                {
                    h.Add($"<tr><td>{x.Kind}</td><td class=\"mono\">{x.Location}</td><td>{x.Server}</td>");
                    h.Add($"<td>{x.Agent}</td><td class=\"mono\">{x.ConfigPath}</td></tr>");
                }
                h.Add($"</tbody></table>");
            }
        }
        return Layout.Page(page, "Hosts", AdminSection.Hosts, h);
    }
}
