using System.Globalization;
using ShadowMcp.Admin.Html;
using ShadowMcp.Core.Triage;

namespace ShadowMcp.Admin.Pages;

/// <summary>
/// The triage part of a finding's page: where it stands, the form to change status, owner and add a note, the
/// three decisions (Mark sanctioned, Add exception, Block) and the history, newest first. Notes and owners are what
/// people typed, so like everything else they are encoded, never markup.
/// </summary>
internal static class TriagePanel
{
    public static void Render(HtmlBuilder h, PageContext page, long id, TriageState state, IReadOnlyList<TriageEvent> history)
    {
        var status = state.Status;
        var action = page.Url("/findings/" + id.ToString(CultureInfo.InvariantCulture));
        h.Add($"<section class=\"triage\" data-test=\"triage\"><h2>Triage</h2>");
        h.Add($"<p>Status: <strong data-test=\"triage-status\" data-status=\"{status.ToWire()}\">{status.ToLabel()}</strong>");
        if (state.StatusSince is { } since) h.Add($" <span class=\"muted\">since {HtmlFormat.Time(since)} by {state.StatusBy}</span>");
        h.Add($" · Owner: <strong data-test=\"triage-owner\">{state.Owner ?? "nobody"}</strong></p>");

        h.Add($"<form method=\"post\" action=\"{action}/triage\" class=\"filters\" data-test=\"triage-form\">{page.CsrfField}");
        h.Add($"<label>Status<select name=\"status\"><option value=\"keep\">(keep {status.ToLabel()})</option>");
        foreach (var s in TriageStatusNames.All) h.Add($"<option value=\"{s.ToWire()}\">{s.ToLabel()}</option>");
        h.Add($"</select></label>");
        h.Add($"<label>Owner<input name=\"owner\" maxlength=\"{TriageChange.MaxOwnerLength}\" value=\"{state.Owner}\"></label>");
        h.Add($"<label><input type=\"checkbox\" name=\"clearOwner\" value=\"1\"> no owner</label>");
        h.Add($"<label>Note<textarea name=\"note\" rows=\"2\" cols=\"40\" maxlength=\"{TriageChange.MaxNoteLength}\"></textarea></label>");
        h.Add($"<button type=\"submit\" id=\"triage-save\">Save</button></form>");

        h.Add($"<div class=\"tools\" data-test=\"triage-actions\">");
        Decision(h, page, action + "/sanction", "sanction", "Mark sanctioned", "",
            "Approve this endpoint? It counts as sanctioned from now on, in every scan, report and plan.");
        Decision(h, page, action + "/exception", "exception", "Add exception", "",
            "Mark this finding a false positive? The enforcer will never block it.");
        Decision(h, page, action + "/block", "block", "Block", "danger",
            "Mark this finding blocked and plan blocks? Nothing is changed until the plan is applied on the enforcement page.");
        h.Add($"</div>");

        h.Add($"<h3>History</h3>");
        if (history.Count == 0)
        {
            Fragments.Notice(h, "off", "Nobody has triaged this finding yet.");
        }
        else
        {
            h.Add($"<table data-test=\"triage-history\"><thead><tr><th>When</th><th>Who</th><th>Status</th><th>Owner</th><th>Note</th></tr></thead><tbody>");
            foreach (var e in history)
            {
                var from = e.FromStatus.ToLabel();
                var to = e.ToStatus.ToLabel();
                h.Add($"<tr data-event=\"{e.Id}\"><td>{HtmlFormat.Time(e.At)}</td><td>{e.Actor}</td><td>{(from == to ? to : $"{from} → {to}")}</td>");
                h.Add($"<td>{(e.FromOwner == e.ToOwner ? e.ToOwner : $"{e.FromOwner ?? "nobody"} → {e.ToOwner ?? "nobody"}")}</td><td class=\"note\">{e.Note}</td></tr>");
            }
            h.Add($"</tbody></table>");
        }
        h.Add($"</section>");
    }

    private static void Decision(HtmlBuilder h, PageContext page, string url, string id, string label, string css, string confirm) =>
        h.Add($"<form method=\"post\" action=\"{url}\" data-confirm=\"{confirm}\">{page.CsrfField}<button type=\"submit\" id=\"{id}\" class=\"{css}\">{label}</button></form>");
}
