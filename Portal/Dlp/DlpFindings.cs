namespace ShadowMcp.Portal.Dlp;

/// <summary>Where detectors matched in one scanned text (folded coordinates), collected for redaction and naming.</summary>
internal sealed class DlpFindings
{
    private readonly List<(string Detector, int Start, int Length)> _items = [];

    public int Count => _items.Count;
    public IReadOnlyList<(string Detector, int Start, int Length)> Items => _items;

    public void Add(string detector, int start, int length) => _items.Add((detector, start, length));

    public void Clear() => _items.Clear();
}
