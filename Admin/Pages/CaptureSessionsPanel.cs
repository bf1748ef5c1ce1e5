using ShadowMcp.Admin.Html;
using ShadowMcp.Core.Reading;

namespace ShadowMcp.Admin.Pages;

/// <summary>
/// The latest live capture sessions under the findings list, with libpcap's counters: a session that dropped
/// packets is flagged, because findings from it may be missing.
/// </summary>
internal static class CaptureSessionsPanel
{
    public static void Render(HtmlBuilder h, IReadOnlyList<CaptureSession> sessions)
    {
        if (sessions.Count == 0) return;
        h.Add($"<h2>Live capture</h2>");
        h.Add($"<table data-test=\"capture-sessions\"><thead><tr><th>Source</th><th>Last flush</th>");
        h.Add($"<th class=\"num\">Packets read</th><th class=\"num\">Kernel received</th>");
        h.Add($"<th class=\"num\">Dropped</th>");
        h.Add($"<th class=\"num\">Interface dropped</th></tr></thead><tbody>");
        foreach (var s in sessions)
        {
            h.Add($"<tr><td class=\"mono\">{s.Source}</td><td>{HtmlFormat.Time(s.LastFlush)}</td>");
            h.Add($"<td class=\"num\">{HtmlFormat.Number(s.Packets)}</td>");
            h.Add($"<td class=\"num\">{HtmlFormat.Number(s.Received)}</td>");
            h.Add($"<td class=\"num\">{HtmlFormat.Number(s.Dropped)}</td>");
            h.Add($"<td class=\"num\">{HtmlFormat.Number(s.InterfaceDropped)}</td></tr>");
        }
        h.Add($"</tbody></table>");
        if (sessions.Any(s => s.Dropped + s.InterfaceDropped > 0))
            Fragments.Notice(h, "error", "Packets were dropped before the sensor read them: findings may be missing. "
                + "Raise the sensor's --buffer-mb or give it more CPU.");
    }
}
