namespace ShadowMcp.Admin.Findings;

/// <summary>How many findings of each verdict match the other filters (the verdict filter left out).</summary>
internal sealed record VerdictCounts(int Shadow, int Suspected, int Sanctioned, int New)
{
    public int Total => Shadow + Suspected + Sanctioned;
}
