namespace ShadowMcp.Portal.Upstreams;

/// <summary>An upstream could not be reached or did not answer in time.</summary>
internal sealed class UpstreamUnavailableException(string serverId, string reason, Exception? inner = null, bool timedOut = false)
    : Exception($"upstream '{serverId}' unavailable: {reason}", inner)
{
    public string ServerId { get; } = serverId;

    /// <summary>The upstream did not answer in time; its session may be fine (a slow tool), unlike a broken transport.</summary>
    public bool TimedOut { get; } = timedOut;
}
