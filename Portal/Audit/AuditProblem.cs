namespace ShadowMcp.Portal.Audit;

/// <summary>One break in the chain, naming the row (by Seq) and what happened to it.</summary>
internal sealed record AuditProblem(long Seq, string Kind, string Detail)
{
    public override string ToString() => $"row {Seq}: {Kind}: {Detail}";
}
