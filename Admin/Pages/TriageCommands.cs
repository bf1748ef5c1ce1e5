using Microsoft.AspNetCore.Http;
using ShadowMcp.Admin.Findings;
using ShadowMcp.Admin.Sources;
using ShadowMcp.Admin.Triage;
using ShadowMcp.Core.Triage;

namespace ShadowMcp.Admin.Pages;

/// <summary>
/// The triage POSTs of a finding's page. Save records the form's status, owner and note; Mark sanctioned approves
/// (the finding's verdict becomes sanctioned); Add exception marks a false positive (the enforcer never blocks it);
/// Block marks it blocked and then asks the enforcer for a plan, shown on the enforcement page to be applied there,
/// the same plan/apply flow as every other block.
/// </summary>
internal static class TriageCommands
{
    public const string Save = "triage";
    public const string Sanction = "sanction";
    public const string Exception = "exception";
    public const string Block = "block";

    public static readonly string[] All = [Save, Sanction, Exception, Block];

    public static async Task<IResult> RunAsync(PageContext page, long id, string command)
    {
        var finding = await page.Service<FindingQueries>().GetAsync(id, page.Aborted).ConfigureAwait(false);
        if (finding is null) return ErrorPages.NotFound(page, $"There is no finding {id}.");
        var form = await page.Http.Request.ReadFormAsync(page.Aborted).ConfigureAwait(false);
        var note = form["note"].ToString() is { Length: > 0 } n ? n : null;
        TriageChange? change;
        string? problem = null;
        switch (command)
        {
            case Sanction: change = new TriageChange(TriageStatus.Approved, Note: note); break;
            case Exception: change = new TriageChange(TriageStatus.FalsePositive, Note: note); break;
            case Block: change = new TriageChange(TriageStatus.Blocked, Note: note); break;
            default: (change, problem) = TriageForm.Read(form); break;
        }
        if (change is null) return await FindingDetailPage.RenderAsync(page, id, new TriageOutcome(false, problem!)).ConfigureAwait(false);

        var outcome = await page.Service<TriageService>()
            .ApplyAsync([finding.Endpoint.Key], change, AdminActor.Of(page.Http), page.Aborted).ConfigureAwait(false);
        if (command != Block || !outcome.Succeeded) return await FindingDetailPage.RenderAsync(page, id, outcome).ConfigureAwait(false);

        var plan = await page.Service<IEnforcementAdminSource>().PlanAsync(page.Aborted).ConfigureAwait(false);
        var message = $"{finding.Endpoint.Key} is marked blocked. " + (plan.Succeeded
            ? $"{plan.Message.TrimEnd('.')}. Review the plan below and apply it to block."
            : $"Planning failed: {plan.Message}");
        return await EnforcementPage.RenderAsync(page, plan with { Message = message }).ConfigureAwait(false);
    }
}
