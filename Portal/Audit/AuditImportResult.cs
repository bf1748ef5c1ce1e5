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
    public bool AlreadyImported => Rows == 0 && SummarySeq != 0;
}
