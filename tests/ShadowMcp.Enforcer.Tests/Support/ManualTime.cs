namespace ShadowMcp.Enforcer.Tests.Support;

/// <summary>A clock the test moves by hand, for TTL expiry.</summary>
internal sealed class ManualTime(DateTimeOffset start) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = start;

    public override DateTimeOffset GetUtcNow() => Now;
}
