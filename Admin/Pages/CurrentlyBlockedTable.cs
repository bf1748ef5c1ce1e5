using System.Globalization;
using ShadowMcp.Admin.Html;
using ShadowMcp.Admin.Sources;

namespace ShadowMcp.Admin.Pages;

/// <summary>The "Currently blocked" section of the enforcement page: one row per endpoint and backend.</summary>
internal static class CurrentlyBlockedTable
{
    public static void Render(HtmlBuilder h, IReadOnlyList<CurrentBlockView>? blocked, DateTime nowUtc)
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
        // The admin counts endpoints; one endpoint held by two backends is two rows but one endpoint.
        var endpoints = blocked.Select(b => b.Endpoint).Distinct(StringComparer.Ordinal).Count();
        var backends = blocked.Select(b => b.Backend).Distinct(StringComparer.Ordinal).Count();
        h.Add($"<p data-test=\"blocked-count\">{HtmlFormat.Number(endpoints)} endpoint(s) on {HtmlFormat.Number(backends)} backend(s).</p>");
        h.Add($"<table data-test=\"blocked\"><thead><tr><th>Endpoint</th><th>Backend</th><th>Rule</th><th>Since</th><th>Expires</th><th>Put there by</th><th>Backend check</th></tr></thead><tbody>");
        foreach (var b in blocked.OrderBy(b => b.Endpoint, StringComparer.Ordinal).ThenBy(b => b.Backend, StringComparer.Ordinal))
        {
            h.Add($"<tr data-endpoint=\"{b.Endpoint}\" data-backend=\"{b.Backend}\"><td class=\"mono\">{b.Endpoint}</td><td class=\"mono\">{b.Backend}</td><td class=\"mono\">{b.Rule}</td>");
            h.Add($"<td>{(b.SinceUtc is { } since ? HtmlFormat.Time(since) : "—")}</td><td data-test=\"expires\">{Expiry(b.ExpiresUtc, nowUtc)}</td>");
            if (b.ActionId is { } id)
                h.Add($"<td class=\"mono\" data-test=\"by\"><a href=\"#action-{id}\">action {id}</a></td>");
            else
                h.Add($"<td class=\"mono\" data-test=\"by\">—</td>");
            h.Add($"<td data-test=\"verification\">{b.Verification}</td></tr>");
        }
        h.Add($"</tbody></table>");
    }

    /// <summary>When the TTL lapses and how long that is from now; a lapsed one waits for the expiry sweep.</summary>
    internal static string Expiry(DateTime? expiresUtc, DateTime nowUtc)
    {
        if (expiresUtc is not { } exp) return "no TTL";
        var left = exp - nowUtc;
        if (left <= TimeSpan.Zero) return $"{HtmlFormat.Time(exp)} (lapsed; lifted at the next expiry sweep)";
        var inWords = left.TotalDays >= 1 ? string.Create(CultureInfo.InvariantCulture, $"{(int)left.TotalDays} d {left.Hours} h")
            : left.TotalHours >= 1 ? string.Create(CultureInfo.InvariantCulture, $"{(int)left.TotalHours} h {left.Minutes} min")
            : string.Create(CultureInfo.InvariantCulture, $"{Math.Max(1, (int)Math.Ceiling(left.TotalMinutes))} min");
        return $"{HtmlFormat.Time(exp)} (in {inWords})";
    }
}
