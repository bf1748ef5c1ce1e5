using ShadowMcp.Admin.Html;
using ShadowMcp.Admin.Sources;

namespace ShadowMcp.Admin.Pages;

/// <summary>
/// The enforcement page's list of endpoints the policy selects but no configured backend can block, with the
/// backend types that could, instead of leaving them "pending".
/// </summary>
internal static class NotBlockableList
{
    public static void Render(HtmlBuilder h, IReadOnlyList<UnblockableEndpointView>? endpoints)
    {
        if (endpoints is not { Count: > 0 }) return;
        h.Add($"<h2>Not blockable by the configured backends</h2>");
        h.Add($"<p class=\"notice off\" data-test=\"not-blockable-count\">{HtmlFormat.Number(endpoints.Count)} endpoint(s) are selected by the policy, but no configured backend can express them; planning and applying will not block them. Add a backend that can.</p>");
        h.Add($"<table data-test=\"not-blockable\"><thead><tr><th>Endpoint</th><th>Could be blocked by</th></tr></thead><tbody>");
        foreach (var e in endpoints)
            h.Add($"<tr data-endpoint=\"{e.Endpoint}\"><td class=\"mono\">{e.Endpoint}</td><td data-test=\"could\">{string.Join(" or ", e.CouldBlock)}</td></tr>");
        h.Add($"</tbody></table>");
    }
}
