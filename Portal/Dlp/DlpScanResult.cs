namespace ShadowMcp.Portal.Dlp;

internal sealed record DlpScanResult(IReadOnlyList<DlpHit> Hits)
{
    public static readonly DlpScanResult Clean = new([]);

    public string Summary => string.Join(",", Hits.Select(h => h.Detector).Distinct());
}
