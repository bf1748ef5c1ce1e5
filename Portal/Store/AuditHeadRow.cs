namespace ShadowMcp.Portal.Store;

/// <summary>The last chained row, kept apart so that deleting rows at the tail is detected too.</summary>
internal sealed class AuditHeadRow
{
    public int Id { get; set; }
    public long Seq { get; set; }
    public string Hash { get; set; } = "";
}
