namespace ShadowMcp.Portal.Upstreams;

/// <summary>An upstream could not be reached or did not answer in time.</summary>
internal sealed class UpstreamUnavailableException(string serverId, string reason, Exception? inner = null)
    : Exception($"upstream '{serverId}' unavailable: {reason}", inner)
{
    public string ServerId { get; } = serverId;
}
