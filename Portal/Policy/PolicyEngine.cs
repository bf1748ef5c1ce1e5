using ShadowMcp.Portal.Aggregation;
using ShadowMcp.Portal.Config;

namespace ShadowMcp.Portal.Policy;

/// <summary>
/// Default-deny group policy. A tool is usable when the server config enables it, pinning has not hidden it,
/// and one of the caller's groups grants its server with a matching glob (and, for read-only groups, the tool
/// is annotated readOnlyHint or listed as read). tools/list and tools/call both ask this one place.
/// </summary>
internal sealed class PolicyEngine(PortalConfig config)
{
    public PolicyDecision Decide(PortalCaller caller, ExposedTool tool)
    {
        if (!tool.EnabledByServer) return PolicyDecision.Deny($"tool '{tool.UpstreamName}' is disabled on server '{tool.ServerId}'");
        if (tool.HiddenByPin) return PolicyDecision.Deny($"tool '{tool.UpstreamName}' changed since approval and is hidden until re-approved");
        if (caller.Groups.Count == 0) return PolicyDecision.Deny("caller has no group");
        var reason = $"no group of the caller grants {tool.ServerId}/{tool.UpstreamName}";
        foreach (var name in caller.Groups)
        {
            if (!config.Groups.TryGetValue(name, out var group)) continue;
            if (!group.Servers.TryGetValue(tool.ServerId, out var globs) || !Glob.Any(globs, tool.UpstreamName)) continue;
            if (group.ReadOnly && !tool.IsReadOnly) { reason = $"group '{name}' is read-only and '{tool.UpstreamName}' is not a read tool"; continue; }
            return PolicyDecision.Allow($"group '{name}'");
        }
        return PolicyDecision.Deny(reason);
    }

    /// <summary>Prompts and resources are reads: a grant of any tool on the server admits them.</summary>
    public PolicyDecision DecideServer(PortalCaller caller, string serverId)
    {
        foreach (var name in caller.Groups)
            if (config.Groups.TryGetValue(name, out var group) && group.Servers.ContainsKey(serverId))
                return PolicyDecision.Allow($"group '{name}'");
        return PolicyDecision.Deny($"no group of the caller grants server '{serverId}'");
    }
}
