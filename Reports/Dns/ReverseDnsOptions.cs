namespace ShadowMcp.Reports.Dns;

/// <summary>Reverse DNS for client addresses. With no <see cref="Server"/> no lookups are made at all.</summary>
public sealed class ReverseDnsOptions
{
    /// <summary>Resolver as "address" or "address:port" ("[v6]:port"), e.g. "127.0.0.53". Null turns lookups off.</summary>
    public string? Server { get; set; }
    /// <summary>Per query.</summary>
    public TimeSpan QueryTimeout { get; set; } = TimeSpan.FromSeconds(1);
    /// <summary>For all lookups of one report together; addresses not answered by then are printed without a name.</summary>
    public TimeSpan Budget { get; set; } = TimeSpan.FromSeconds(5);
    public int Concurrency { get; set; } = 8;
}
