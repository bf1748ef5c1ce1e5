using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using ShadowMcp.Core.Serialization;

namespace ShadowMcp.Admin.Findings;

/// <summary>The findings as JSON for scripts holding the admin token (same filters, sort and grouping as the page).</summary>
internal static class FindingsApi
{
    public static async Task ListAsync(HttpContext ctx)
    {
        var filter = FindingFilter.Parse(ctx.Request.Query);
        var queries = ctx.RequestServices.GetRequiredService<FindingQueries>();
        ctx.Response.Headers.CacheControl = "no-store";
        var counts = await queries.CountVerdictsAsync(filter, ctx.RequestAborted).ConfigureAwait(false);
        if (filter.Grouping != FindingGrouping.None)
        {
            var groups = await queries.GroupAsync(filter, ctx.RequestAborted).ConfigureAwait(false);
            await Results.Json(new { total = groups.TotalGroups, problems = filter.Problems, counts, groups = groups.Groups }, JsonDefaults.Options)
                .ExecuteAsync(ctx).ConfigureAwait(false);
            return;
        }
        var result = await queries.ListAsync(filter, ctx.RequestAborted).ConfigureAwait(false);
        await Results.Json(new
        {
            total = result.Total,
            page = result.Page,
            pages = result.Pages,
            problems = filter.Problems,
            counts,
            findings = result.Items.Select(r => FindingApiRow.From(r, queries.WeekStart)),
        }, JsonDefaults.Options).ExecuteAsync(ctx).ConfigureAwait(false);
    }

    public static async Task GetAsync(HttpContext ctx)
    {
        ctx.Response.Headers.CacheControl = "no-store";
        if (!long.TryParse(ctx.GetRouteValue("id")?.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            await Results.NotFound().ExecuteAsync(ctx).ConfigureAwait(false);
            return;
        }
        var finding = await ctx.RequestServices.GetRequiredService<FindingQueries>().GetAsync(id, ctx.RequestAborted).ConfigureAwait(false);
        await (finding is null ? Results.NotFound() : Results.Json(FindingDocument.From(finding), JsonDefaults.Options)).ExecuteAsync(ctx).ConfigureAwait(false);
    }
}
