using Microsoft.AspNetCore.Http;
using ShadowMcp.Admin.Html;
using ShadowMcp.Admin.Sources;

namespace ShadowMcp.Admin.Pages;

/// <summary>
/// The enforcer's state with its three commands. Each command is a POST form with anti-forgery and a confirm prompt;
/// the result is shown on the page that the POST returns.
/// </summary>
internal static class EnforcementPage
{
    public static async Task<IResult> RenderAsync(PageContext page, EnforcementCommandResult? result = null)
    {
        var state = await page.Service<IEnforcementAdminSource>().GetStateAsync(page.Aborted).ConfigureAwait(false);
        var h = new HtmlBuilder();
        h.Add($"<h1>Enforcement</h1>");
        if (result is not null)
            h.Add($"<p class=\"notice {(result.Succeeded ? "ok" : "error")}\" role=\"status\" data-test=\"result\">{result.Message}</p>");
        if (state is null)
        {
            Fragments.NotConfigured(h, "Enforcement", "Blocking state, plans and rollbacks appear here once the host runs the enforcer.");
            return Layout.Page(page, "Enforcement", AdminSection.Enforcement, h, result is { Succeeded: false } ? StatusCodes.Status409Conflict : StatusCodes.Status200OK);
        }
        h.Add($"<p>Mode: <strong data-test=\"mode\">{state.Mode}</strong></p>");
        h.Add($"<form method=\"post\" action=\"{page.Url("/enforcement/plan")}\" data-confirm=\"Compute a new block plan for the current shadow findings?\">{page.CsrfField}<button type=\"submit\" id=\"plan\">Plan blocks</button></form>");

        h.Add($"<h2>Pending plan</h2>");
        if (state.PendingPlan is not { } plan)
        {
            Fragments.Notice(h, "off", "No plan is pending.");
        }
        else
        {
            h.Add($"<p data-test=\"plan\">Plan <code>{plan.Id}</code>, made {HtmlFormat.Time(plan.CreatedUtc)}, {plan.Steps.Count} step{(plan.Steps.Count == 1 ? "" : "s")}.</p>");
            if (plan.Steps.Count > 0)
            {
                h.Add($"<table data-test=\"plan-steps\"><thead><tr><th>Endpoint</th><th>Mechanism</th><th>Reason</th></tr></thead><tbody>");
                foreach (var s in plan.Steps)
                    h.Add($"<tr><td class=\"mono\">{s.EndpointKey}</td><td class=\"mono\">{s.Mechanism}</td><td>{s.Reason}</td></tr>");
                h.Add($"</tbody></table>");
            }
            h.Add($"<form method=\"post\" action=\"{page.Url("/enforcement/apply")}\" data-confirm=\"{ApplyPrompt(plan)}\">{page.CsrfField}");
            h.Add($"<input type=\"hidden\" name=\"planId\" value=\"{plan.Id}\"><p><button type=\"submit\" class=\"danger\" id=\"apply\">Apply plan</button></p></form>");
        }

        CurrentlyBlockedTable.Render(h, state.Blocked, page.Service<TimeProvider>().GetUtcNow().UtcDateTime);
        NotBlockableList.Render(h, state.NotBlockable);

        h.Add($"<h2>Actions</h2>");
        if (state.Actions.Count == 0)
        {
            Fragments.Notice(h, "off", "The enforcer has taken no actions.");
        }
        else
        {
            h.Add($"<table data-test=\"actions\"><thead><tr><th>Action</th><th>Endpoint</th><th>Mechanism</th><th>State</th><th>Applied</th><th>Detail</th><th></th></tr></thead><tbody>");
            foreach (var a in state.Actions)
            {
                h.Add($"<tr data-action=\"{a.Id}\" id=\"action-{a.Id}\" data-state=\"{a.State}\"><td class=\"mono\">{a.Id}</td><td class=\"mono\">{a.EndpointKey}</td><td class=\"mono\">{a.Mechanism}</td><td data-test=\"state\">{a.StateLabel}</td><td>{HtmlFormat.Time(a.AppliedUtc)}</td><td>{a.Detail}</td><td>");
                if (a.CanRollBack)
                    h.Add($"<form method=\"post\" action=\"{page.Url("/enforcement/rollback")}\" data-confirm=\"{RollbackPrompt(a)}\">{page.CsrfField}<input type=\"hidden\" name=\"actionId\" value=\"{a.Id}\"><button type=\"submit\" class=\"danger\">Roll back</button></form>");
                h.Add($"</td></tr>");
            }
            h.Add($"</tbody></table>");
        }
        return Layout.Page(page, "Enforcement", AdminSection.Enforcement, h, result is { Succeeded: false } ? StatusCodes.Status409Conflict : StatusCodes.Status200OK);
    }

    /// <summary>
    /// Counts endpoints as the admin thinks of them: one server can be a rule on several backends, and an address
    /// rule and a name rule; each counts once.
    /// </summary>
    private static string ApplyPrompt(EnforcementPlanView plan)
    {
        static int Count(IEnumerable<EnforcementPlanStep> steps) =>
            steps.SelectMany(st => st.Endpoints ?? (st.EndpointKey.Length > 0 ? [st.EndpointKey] : [])).Distinct(StringComparer.Ordinal).Count();
        var blocked = Count(plan.Steps.Where(st => !st.Unblocks));
        var lifted = Count(plan.Steps.Where(st => st.Unblocks));
        return $"Apply plan {plan.Id}? Traffic to {blocked} endpoint(s) will be blocked." + (lifted > 0 ? $" {lifted} endpoint(s) will be unblocked." : "");
    }

    /// <summary>
    /// Counts endpoints, not endpoint x backend: a rollback restores every backend to before the action, so it and
    /// every later action are undone; the source names the endpoints that change back.
    /// </summary>
    private static string RollbackPrompt(EnforcementActionView a)
    {
        if (a.RollbackUndoes is not { } names) return $"Roll back action {a.Id} ({a.EndpointKey})?";
        var shown = string.Join(", ", names.Take(5)) + (names.Count > 5 ? $" and {names.Count - 5} more" : "");
        return names.Count == 0
            ? $"Roll back action {a.Id}? No endpoint changes back."
            : $"Roll back action {a.Id} and every later action? {names.Count} endpoint(s) change back: {shown}.";
    }

    public static async Task<IResult> CommandAsync(PageContext page, string command)
    {
        var source = page.Service<IEnforcementAdminSource>();
        var form = await page.Http.Request.ReadFormAsync(page.Aborted).ConfigureAwait(false);
        var result = command switch
        {
            "plan" => await source.PlanAsync(page.Aborted).ConfigureAwait(false),
            "apply" when form["planId"].ToString() is { Length: > 0 and <= 200 } planId => await source.ApplyAsync(planId, Triage.AdminActor.Of(page.Http), page.Aborted).ConfigureAwait(false),
            "rollback" when form["actionId"].ToString() is { Length: > 0 and <= 200 } actionId => await source.RollbackAsync(actionId, Triage.AdminActor.Of(page.Http), page.Aborted).ConfigureAwait(false),
            _ => EnforcementCommandResult.Failed("The request did not name a plan or action."),
        };
        return await RenderAsync(page, result).ConfigureAwait(false);
    }
}
