using Microsoft.AspNetCore.Http;
using ShadowMcp.Core.Triage;

namespace ShadowMcp.Admin.Triage;

/// <summary>
/// The triage fields of a posted form: "status" (a wire name; empty keeps the status), "owner" (empty keeps the
/// owner; "clearOwner" clears it), "note". A value that does not parse is a problem, not a guess.
/// </summary>
internal static class TriageForm
{
    public static (TriageChange? Change, string? Problem) Read(IFormCollection form)
    {
        TriageStatus? status = null;
        var s = form["status"].ToString();
        if (s.Length > 0 && s != "keep")
        {
            if (!TriageStatusNames.TryParse(s, out var parsed))
                return (null, $"Unknown status (use {string.Join(", ", TriageStatusNames.All.Select(x => x.ToWire()))}).");
            status = parsed;
        }
        var owner = form["owner"].ToString().Trim() is { Length: > 0 } named ? named : null;
        if (form["clearOwner"].ToString() is "1" or "on") owner = "";
        var note = form["note"].ToString();
        var change = new TriageChange(status, owner, note.Length == 0 ? null : note);
        return change.IsEmpty ? (null, "Nothing to change: choose a status, an owner or write a note.") : (change, null);
    }
}
