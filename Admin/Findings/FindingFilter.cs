using System.Globalization;
using Microsoft.AspNetCore.Http;
using ShadowMcp.Core.Findings;
using ShadowMcp.Core.Reading;
using ShadowMcp.Core.Triage;

namespace ShadowMcp.Admin.Findings;

/// <summary>
/// The findings list filters as typed in the query string: verdict, a UTC date range (a finding matches when its
/// activity overlaps it), free text over endpoint, hosts, server name and evidence, the primary basis, "new this week" only, the sort
/// column and direction, the grouping and the page number. A value that does not parse is dropped and named in
/// <see cref="Problems"/>, so the page still shows results.
/// </summary>
internal sealed record FindingFilter(Verdict? Verdict, DateTime? FromUtc, DateTime? ToUtc, string? Text, int Page, IReadOnlyList<string> Problems)
{
    public const int MaxTextLength = 200;

    public bool NewThisWeek { get; init; }
    /// <summary>Only findings with this primary basis (null: any).</summary>
    public FindingBasis? Basis { get; init; }
    /// <summary>Only findings with this triage status (null: any).</summary>
    public TriageStatus? Status { get; init; }
    public FindingSort Sort { get; init; } = FindingSort.LastSeen;
    public bool Descending { get; init; } = true;
    public FindingGrouping Grouping { get; init; }

    public static FindingFilter Parse(IQueryCollection query)
    {
        var problems = new List<string>();
        Verdict? verdict = null;
        var v = query["verdict"].ToString();
        if (v.Length > 0 && !string.Equals(v, "any", StringComparison.OrdinalIgnoreCase))
        {
            if (VerdictNames.TryParse(v, out var parsed)) verdict = parsed;
            else problems.Add($"Unknown verdict '{Cap(v)}' (use shadow, suspected or sanctioned); showing all verdicts.");
        }
        var from = ParseDate(query["from"].ToString(), "from", problems);
        var to = ParseDate(query["to"].ToString(), "to", problems);
        // "to" is a whole day: up to the next midnight.
        if (to is { } t) to = t.AddDays(1);
        if (from is { } f && to is { } e && e <= f)
        {
            problems.Add("'to' is before 'from'; the date range is ignored.");
            from = to = null;
        }
        var text = query["q"].ToString().Trim();
        if (text.Length > MaxTextLength)
        {
            problems.Add($"Search text was cut to {MaxTextLength} characters.");
            text = text[..MaxTextLength];
        }
        var page = int.TryParse(query["page"].ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p >= 1 ? p : 1;
        var sort = FindingSort.LastSeen;
        var s = query["sort"].ToString();
        if (s.Length > 0 && !FindingSortNames.TryParse(s, out sort))
            problems.Add($"Unknown sort column '{Cap(s)}' (use {FindingSortNames.Known}); sorted by last seen.");
        var descending = sort.DescendingByDefault();
        var dir = query["dir"].ToString();
        if (string.Equals(dir, "asc", StringComparison.OrdinalIgnoreCase)) descending = false;
        else if (string.Equals(dir, "desc", StringComparison.OrdinalIgnoreCase)) descending = true;
        else if (dir.Length > 0) problems.Add($"Unknown sort direction '{Cap(dir)}' (use asc or desc).");
        var grouping = FindingGrouping.None;
        var g = query["group"].ToString();
        if (string.Equals(g, "server", StringComparison.OrdinalIgnoreCase)) grouping = FindingGrouping.Server;
        else if (string.Equals(g, "client", StringComparison.OrdinalIgnoreCase)) grouping = FindingGrouping.Client;
        else if (g.Length > 0 && !string.Equals(g, "none", StringComparison.OrdinalIgnoreCase))
            problems.Add($"Unknown grouping '{Cap(g)}' (use server or client); one row per endpoint.");
        var fresh = query["new"].ToString() is "1" or "true" or "on";
        TriageStatus? status = null;
        var st = query["status"].ToString();
        if (st.Length > 0 && !string.Equals(st, "any", StringComparison.OrdinalIgnoreCase))
        {
            if (TriageStatusNames.TryParse(st, out var parsed)) status = parsed;
            else problems.Add($"Unknown status '{Cap(st)}' (use {string.Join(", ", TriageStatusNames.All.Select(x => x.ToWire()))}); showing every status.");
        }
        FindingBasis? basis = null;
        var b = query["basis"].ToString();
        if (b.Length > 0 && !string.Equals(b, "any", StringComparison.OrdinalIgnoreCase))
        {
            if (FindingBasisNames.TryParse(b, out var parsed)) basis = parsed;
            else problems.Add($"Unknown basis '{Cap(b)}' (use {string.Join(", ", FindingBasisNames.All.Select(x => x.ToWire()))}); showing every basis.");
        }
        return new FindingFilter(verdict, from, to, text.Length == 0 ? null : text, page, problems)
        {
            NewThisWeek = fresh, Sort = sort, Descending = descending, Grouping = grouping, Status = status, Basis = basis,
        };
    }

    /// <summary>
    /// This filter as Core's typed <see cref="FindingQuery"/>: "to" is already the next midnight, and "new this week"
    /// means first seen on or after <paramref name="weekStart"/>. Page and grouping are not part of it.
    /// </summary>
    public FindingQuery ToFindingQuery(DateTime weekStart) => new FindingQuery
    {
        ActiveFromUtc = FromUtc, ActiveToUtc = ToUtc, FirstSeenFromUtc = NewThisWeek ? weekStart : null, Text = Text,
        Sort = Sort, Descending = Descending,
    }.WithVerdict(Verdict).WithStatus(Status).WithBasis(Basis);

    /// <summary>The query string for this filter on another page (for paging links).</summary>
    public string ToQuery(int page) => Query(page, Sort, Descending, Grouping, Verdict);

    /// <summary>This filter sorted by <paramref name="sort"/>: a click on the current column turns its direction round.</summary>
    public string SortedBy(FindingSort sort) =>
        Query(1, sort, sort == Sort ? !Descending : sort.DescendingByDefault(), Grouping, Verdict);

    /// <summary>This filter, grouped another way, back on page 1.</summary>
    public string GroupedBy(FindingGrouping grouping) => Query(1, Sort, Descending, grouping, Verdict);

    /// <summary>This filter with another verdict (null: any), back on page 1.</summary>
    public string WithVerdict(Verdict? verdict) => Query(1, Sort, Descending, Grouping, verdict);

    /// <summary>This filter with another triage status (null: any), back on page 1.</summary>
    public string WithStatus(TriageStatus? status) => (this with { Status = status }).ToQuery(1);

    private string Query(int page, FindingSort sort, bool descending, FindingGrouping grouping, Verdict? verdict)
    {
        var parts = new List<string>();
        if (verdict is { } v) parts.Add("verdict=" + v.ToWire());
        if (FromUtc is { } f) parts.Add("from=" + f.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        if (ToUtc is { } t) parts.Add("to=" + t.AddDays(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        if (Text is not null) parts.Add("q=" + Uri.EscapeDataString(Text));
        if (NewThisWeek) parts.Add("new=1");
        if (Status is { } st) parts.Add("status=" + st.ToWire());
        if (Basis is { } b) parts.Add("basis=" + b.ToWire());
        if (sort != FindingSort.LastSeen || !descending)
        {
            parts.Add("sort=" + sort.ToWire());
            if (descending != sort.DescendingByDefault()) parts.Add("dir=" + (descending ? "desc" : "asc"));
        }
        if (grouping != FindingGrouping.None) parts.Add("group=" + grouping.ToString().ToLowerInvariant());
        if (page > 1) parts.Add("page=" + page.ToString(CultureInfo.InvariantCulture));
        return parts.Count == 0 ? "" : "?" + string.Join('&', parts);
    }

    private static DateTime? ParseDate(string text, string name, List<string> problems)
    {
        if (text.Length == 0) return null;
        if (DateTime.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var d))
            return DateTime.SpecifyKind(d, DateTimeKind.Utc);
        problems.Add($"'{name}' value '{Cap(text)}' is not a date (yyyy-MM-dd); it is ignored.");
        return null;
    }

    private static string Cap(string s) => s.Length <= 40 ? s : s[..40] + "…";
}
