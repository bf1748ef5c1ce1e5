namespace ShadowMcp.Reports.Scheduling.Cluster;

/// <summary>
/// Section "Reports:Cluster": how `serve` instances sharing one PostgreSQL store schedule the report together
/// (Quartz's clustered ADO.NET job store). Not used on the embedded SQLite store, where one process schedules alone.
/// </summary>
public sealed class ClusterOptions
{
    public const string Auto = "AUTO";

    /// <summary>How often each instance records in the store that it is alive.</summary>
    public TimeSpan CheckInInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long after a missed check-in the other instances treat this one as dead and take over its report run.
    /// Raise it above the longest pause an instance may have (GC, VM migration, database fail-over).
    /// </summary>
    public TimeSpan FailedInstanceAfter { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Unique per instance; "AUTO" derives one from the host name, process id and start time.</summary>
    public string InstanceId { get; set; } = Auto;
}
