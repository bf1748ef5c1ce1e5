namespace ShadowMcp.Reports.Scheduling.Cluster;

/// <summary>The Reports:Cluster part of start-up validation: each message names the key and its range.</summary>
internal static class ClusterOptionsCheck
{
    internal static readonly TimeSpan MinCheckIn = TimeSpan.FromSeconds(1);
    internal static readonly TimeSpan MaxCheckIn = TimeSpan.FromMinutes(10);
    internal const int MaxInstanceIdLength = 200;

    public static IEnumerable<string> Errors(ClusterOptions o)
    {
        if (o.CheckInInterval < MinCheckIn || o.CheckInInterval > MaxCheckIn)
            yield return $"Reports:Cluster:CheckInInterval '{o.CheckInInterval}' must be {MinCheckIn} to {MaxCheckIn}.";
        if (o.FailedInstanceAfter < o.CheckInInterval)
            yield return $"Reports:Cluster:FailedInstanceAfter '{o.FailedInstanceAfter}' must be at least " +
                         $"Reports:Cluster:CheckInInterval '{o.CheckInInterval}' " +
                         "(an instance would be declared dead between two check-ins).";
        if (o.FailedInstanceAfter > TimeSpan.FromHours(1))
            yield return $"Reports:Cluster:FailedInstanceAfter '{o.FailedInstanceAfter}' must be at most 01:00:00.";
        if (string.IsNullOrWhiteSpace(o.InstanceId))
            yield return "Reports:Cluster:InstanceId is empty; leave it out or write AUTO to derive one per process.";
        else if (o.InstanceId.Length > MaxInstanceIdLength || o.InstanceId.Any(char.IsControl))
            yield return $"Reports:Cluster:InstanceId must be at most {MaxInstanceIdLength} printable characters.";
    }
}
