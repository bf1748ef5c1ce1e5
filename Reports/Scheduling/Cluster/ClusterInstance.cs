namespace ShadowMcp.Reports.Scheduling.Cluster;

/// <summary>
/// This process's id in the cluster, the same for Quartz (scheduler_state, fired_triggers) and report_runs, so a run
/// row names the instance that made the report. "AUTO" gives host-pid-start time, unique per process.
/// </summary>
public sealed class ClusterInstance(string id)
{
    public string Id { get; } = id;

    public static ClusterInstance From(ClusterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!string.Equals(options.InstanceId, ClusterOptions.Auto, StringComparison.OrdinalIgnoreCase))
            return new ClusterInstance(options.InstanceId);
        var started = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        return new ClusterInstance($"{Environment.MachineName}-{Environment.ProcessId}-{started}");
    }
}
