namespace ShadowMcp.Portal.Audit;

/// <summary>What `audit import` did with a fallback file.</summary>
/// <param name="Rows">Rows added to the chain now (0 when the file was imported before or holds none).</param>
/// <param name="FirstSeq">Seq of the first row added (0 when none).</param>
/// <param name="SummarySeq">The summary row that records the import: added now, or the earlier one found (0 when none).</param>
/// <param name="Sha256">SHA-256 of the file as read.</param>
/// <param name="RenamedTo">Where the file was moved once in the chain, or null when it stays (see <paramref name="LeftBecause"/>).</param>
/// <param name="LeftBecause">Why a file whose rows are in the chain was not renamed, or null.</param>
internal sealed record AuditImportResult(int Rows, long FirstSeq, long SummarySeq, string Sha256, string? RenamedTo, string? LeftBecause)
{
    /// <summary>
    /// Rows not added because the chain already holds them: their batch was committed though the portal lost the
    /// store's answer (<see cref="SpilledCommit"/>).
    /// </summary>
    public int Skipped { get; init; }

    /// <summary>Where the skipped rows are in the chain: a range of Seqs per batch.</summary>
    public IReadOnlyList<(long First, long Last)> SkippedAt { get; init; } = [];

    /// <summary>Lines cut short by a killed portal, read now: not imported, left in the file.</summary>
    public IReadOnlyList<AuditTornLine> Torn { get; init; } = [];

    /// <summary>True when this run found the file in the chain already and added nothing, not even a summary.</summary>
    public bool AlreadyImported => SummarySeq != 0 && Rows == 0 && Skipped == 0;

    /// <summary>The ranges as people read them: "2..4, 9..9".</summary>
    public static string Ranges(IEnumerable<(long First, long Last)> ranges) => string.Join(", ", ranges.Select(r => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{r.First}..{r.Last}")));
}
