namespace ShadowMcp.Admin.Findings;

internal sealed record FindingListResult(IReadOnlyList<FindingSummary> Rows, int Total, int Page, int PageSize)
{
    public int Pages => Math.Max(1, (Total + PageSize - 1) / PageSize);
}
