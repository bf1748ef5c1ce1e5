namespace ShadowMcp.Core.Reading;

/// <summary>One page of a finding list: its rows, how many match in all, and which page it is (1-based).</summary>
public sealed record FindingPage(IReadOnlyList<FindingSummary> Items, int Total, int Page, int PageSize)
{
    public int Pages => Math.Max(1, (Total + PageSize - 1) / PageSize);
}
