namespace ShadowMcp.Admin.Tests.Support;

/// <summary>A clock stopped at the moment it was made, so "expires in 12 h 0 min" reads the same on every run.</summary>
internal sealed class StoppedClock : TimeProvider
{
    private readonly DateTimeOffset _now = new(DateTimeOffset.UtcNow.Ticks / TimeSpan.TicksPerSecond * TimeSpan.TicksPerSecond, TimeSpan.Zero);

    public override DateTimeOffset GetUtcNow() => _now;
}
