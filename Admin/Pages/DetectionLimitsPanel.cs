using ShadowMcp.Admin.Html;
using ShadowMcp.Core.Reading;

namespace ShadowMcp.Admin.Pages;

/// <summary>
/// The latest captures (files, live sessions, remote sensors) in which a detection limit cost something. The limits
/// keep a flood from taking the sensor's memory; what they gave up is shown so that a flood aimed at pushing a real
/// server out of the tables is not silent: an endpoint given up is a finding that may be missing.
/// </summary>
internal static class DetectionLimitsPanel
{
    public static void Render(HtmlBuilder h, IReadOnlyList<CaptureLimits> captures)
    {
        if (captures.Count == 0) return;
        h.Add($"<h2>Detection limits reached</h2>");
        h.Add($"<table data-test=\"detection-limits\"><thead><tr><th>Capture</th><th>Saved</th>");
        h.Add($"<th class=\"num\">Endpoints given up</th><th class=\"num\">Context endpoints given up</th>");
        h.Add($"<th class=\"num\">Hits filed under /*</th><th class=\"num\">Addresses' names forgotten</th>");
        h.Add($"<th class=\"num\">Clients displaced</th><th class=\"num\">Names displaced</th>");
        h.Add($"<th class=\"num\">Untrusted answers ignored</th></tr></thead><tbody>");
        foreach (var c in captures)
        {
            h.Add($"<tr><td class=\"mono\">{c.Source}</td><td>{HtmlFormat.Time(c.ScannedAt)}</td>");
            h.Add($"<td class=\"num\">{HtmlFormat.Number(c.EndpointsEvicted)}</td><td class=\"num\">{HtmlFormat.Number(c.ContextEndpointsEvicted)}</td>");
            h.Add($"<td class=\"num\">{HtmlFormat.Number(c.EndpointHitsFolded)}</td><td class=\"num\">{HtmlFormat.Number(c.AddressNamesForgotten)}</td>");
            h.Add($"<td class=\"num\">{HtmlFormat.Number(c.ClientsDisplaced)}</td><td class=\"num\">{HtmlFormat.Number(c.NamesDisplaced)}</td>");
            h.Add($"<td class=\"num\">{HtmlFormat.Number(c.UntrustedResolverAnswers)}</td></tr>");
        }
        h.Add($"</tbody></table>");
        if (captures.Any(c => c.FindingsLost))
            Fragments.Notice(h, "error", "Endpoints with finding evidence were given up to stay within the endpoint limit: "
                + "findings may be missing. A flood of decoy endpoints, or a network larger than the limit (docs/sensor-hardening.md).");
    }
}
