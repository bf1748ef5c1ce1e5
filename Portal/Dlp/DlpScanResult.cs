namespace ShadowMcp.Portal.Dlp;

internal sealed record DlpScanResult(IReadOnlyList<DlpHit> Hits)
{
    public string Summary => string.Join(",", Hits.Select(h => h.Detector).Distinct());
}
