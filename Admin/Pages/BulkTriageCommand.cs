using Microsoft.AspNetCore.Http;
using ShadowMcp.Admin.Findings;
using ShadowMcp.Admin.Triage;

namespace ShadowMcp.Admin.Pages;

/// <summary>
/// A triage change on many findings from the list: the rows ticked ("key" fields, scope "selected") or every finding
/// matching the filter in the query string (scope "filter"), which must then parse cleanly, as an export's must.
/// </summary>
internal static class BulkTriageCommand
{
    /// <summary>Ticked rows at most: one page of the list is far fewer; more is not a form a person sent.</summary>
    public const int MaxSelected = 10_000;

    public static async Task<IResult> RunAsync(PageContext page)
    {
        var form = await page.Http.Request.ReadFormAsync(page.Aborted).ConfigureAwait(false);
        var (change, problem) = TriageForm.Read(form);
        if (change is null) return await FindingsPage.RenderAsync(page, new TriageOutcome(false, problem!)).ConfigureAwait(false);

        IReadOnlyList<string> keys;
        if (form["scope"].ToString() == "filter")
        {
            var filter = FindingFilter.Parse(page.Http.Request.Query);
            if (filter.Problems.Count > 0)
                return await FindingsPage.RenderAsync(page, new TriageOutcome(false,
                    "The filter did not parse, so nothing was changed: " + string.Join(" ", filter.Problems))).ConfigureAwait(false);
            keys = await page.Service<FindingQueries>().KeysAsync(filter, page.Aborted).ConfigureAwait(false);
        }
        else
        {
            keys = [.. form["key"].Where(k => !string.IsNullOrEmpty(k)).Select(k => k!)];
            if (keys.Count > MaxSelected)
                return await FindingsPage.RenderAsync(page, new TriageOutcome(false, $"More than {MaxSelected} rows were sent; use \"all matching the filter\".")).ConfigureAwait(false);
            keys = await page.Service<FindingQueries>().ExistingKeysAsync(keys, page.Aborted).ConfigureAwait(false);
        }
        var outcome = await page.Service<TriageService>().ApplyAsync(keys, change, AdminActor.Of(page.Http), page.Aborted).ConfigureAwait(false);
        return await FindingsPage.RenderAsync(page, outcome).ConfigureAwait(false);
    }
}
