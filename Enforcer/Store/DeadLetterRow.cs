namespace ShadowMcp.Enforcer.Store;

/// <summary>A webhook event that could not be delivered after every retry; kept for replay.</summary>
public sealed class DeadLetterRow
{
    public long Id { get; set; }
    public DateTime At { get; set; }
    public required string Url { get; set; }
    public required string EventJson { get; set; }
    public int Attempts { get; set; }
    public required string LastError { get; set; }
}
