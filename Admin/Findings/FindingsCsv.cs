using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using ShadowMcp.Core.Findings;
using ShadowMcp.Core.Text;
using ShadowMcp.Core.Triage;

namespace ShadowMcp.Admin.Findings;

/// <summary>
/// The findings list as CSV with the page's filters and sort, every matching row (not one page), streamed. Names
/// from the wire are defused for spreadsheets (see <see cref="CsvText"/>).
/// </summary>
internal static class FindingsCsv
{
    private static readonly string[] Header =
        ["endpoint", "host", "verdict", "server", "server_version", "transport", "confidence", "flows", "rules", "first_seen_utc",
         "last_seen_utc", "new_this_week", "hosts", "clients", "triage_status", "owner", "basis", "bases"];

    public static async Task WriteAsync(HttpContext ctx)
    {
        var filter = FindingFilter.Parse(ctx.Request.Query);
        if (filter.Problems.Count > 0)
        {
            // An export must be exactly what was asked for: a filter that did not parse is an error here, not a notice.
            ctx.Response.StatusCode = StatusCodes.Status400BadRequest;
            ctx.Response.ContentType = "text/plain; charset=utf-8";
            await ctx.Response.WriteAsync(string.Join('\n', filter.Problems) + "\n", ctx.RequestAborted).ConfigureAwait(false);
            return;
        }
        var queries = ctx.RequestServices.GetRequiredService<FindingQueries>();
        ctx.Response.ContentType = "text/csv; charset=utf-8";
        ctx.Response.Headers.CacheControl = "no-store";
        ctx.Response.Headers.ContentDisposition = "attachment; filename=\"shadowmcp-findings.csv\"";
        var week = queries.WeekStart;
        var sb = new StringBuilder();
        CsvText.AppendRow(sb, Header);
        await foreach (var r in queries.ExportAsync(filter, ctx.RequestAborted).ConfigureAwait(false))
        {
            CsvText.AppendRow(sb,
            [
                CsvText.Defuse(r.EndpointKey), CsvText.Defuse(r.Host), r.Verdict.ToWire(), CsvText.Defuse(r.ServerName), CsvText.Defuse(r.ServerVersion),
                CsvText.Defuse(r.Transport), r.Confidence.ToString("0.###", CultureInfo.InvariantCulture),
                r.Flows.ToString(CultureInfo.InvariantCulture), r.EvidenceCount.ToString(CultureInfo.InvariantCulture), Time(r.FirstSeen),
                Time(r.LastSeen), r.FirstSeen >= week ? "yes" : "no", CsvText.Defuse(string.Join("; ", r.Hosts)),
                CsvText.Defuse(string.Join("; ", r.Clients)), r.Status.ToWire(), CsvText.Defuse(r.Owner),
                r.Bases.Primary.ToWire(), r.Bases.ToString(),
            ]);
            if (sb.Length < 32 * 1024) continue;
            await ctx.Response.WriteAsync(sb.ToString(), ctx.RequestAborted).ConfigureAwait(false);
            sb.Clear();
        }
        await ctx.Response.WriteAsync(sb.ToString(), ctx.RequestAborted).ConfigureAwait(false);
    }

    private static string Time(DateTime utc) =>
        DateTime.SpecifyKind(utc, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
