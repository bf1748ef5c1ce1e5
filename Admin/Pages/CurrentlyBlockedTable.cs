using ShadowMcp.Admin.Html;
using ShadowMcp.Admin.Sources;

namespace ShadowMcp.Admin.Pages;

/// <summary>The "Currently blocked" section of the enforcement page: one row per endpoint and backend.</summary>
internal static class CurrentlyBlockedTable
{
    public static void Render(HtmlBuilder h, IReadOnlyList<CurrentBlockView>? blocked)
    {
        h.Add($"<h2>Currently blocked</h2>");
        if (blocked is null)
        {
            Fragments.Notice(h, "off", "What the backends hold cannot be shown: the enforcer did not report it (check the policy with Plan blocks).");
            return;
        }
        if (blocked.Count == 0)
        {
            h.Add($"<p class=\"notice off\" role=\"status\" data-test=\"nothing-blocked\">Nothing is blocked now.</p>");
            return;
        }
        h.Add($"<table data-test=\"blocked\"><thead><tr><th>Endpoint</th><th>Backend</th><th>Rule</th><th>Since</th><th>Expires</th><th>Put there by</th><th>Backend check</th></tr></thead><tbody>");
        foreach (var b in blocked)
        {
            h.Add($"<tr data-endpoint=\"{b.Endpoint}\" data-backend=\"{b.Backend}\"><td class=\"mono\">{b.Endpoint}</td><td class=\"mono\">{b.Backend}</td><td class=\"mono\">{b.Rule}</td>");
            h.Add($"<td>{(b.SinceUtc is { } since ? HtmlFormat.Time(since) : "—")}</td><td data-test=\"expires\">{(b.ExpiresUtc is { } exp ? HtmlFormat.Time(exp) : "no TTL")}</td>");
            h.Add($"<td class=\"mono\" data-test=\"by\">{(b.ActionId is { } id ? "action " + id : "—")}</td><td data-test=\"verification\">{b.Verification}</td></tr>");
        }
        h.Add($"</tbody></table>");
    }
}
