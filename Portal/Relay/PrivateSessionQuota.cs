namespace ShadowMcp.Portal.Relay;

/// <summary>
/// A user at the per-user cap of private upstream sessions (a shared token used by many clients, or clients
/// that reconnect without ending their session) gets room by closing that user's least recently used idle
/// private session to the same upstream, in another of its portal sessions. Without this the new session's
/// sampling, elicitation and logs silently degraded to the shared session.
/// </summary>
internal sealed class PrivateSessionQuota(SessionHub hub)
{
    /// <returns>Whether a session was closed (its slot is free now, unless another call took it first).</returns>
    public async Task<bool> EvictLeastRecentAsync(string serverId, string user, DownstreamSession asking)
    {
        var candidates = hub.Sessions
            .Where(s => !ReferenceEquals(s, asking) && s.HoldsPrivate(serverId, user))
            .OrderBy(s => s.LastUse(serverId))
            .ToList();
        foreach (var candidate in candidates)
            if (await candidate.EvictAsync(serverId)) return true;
        return false;
    }
}
