using ShadowMcp.Core.Findings;

namespace ShadowMcp.Enforcer.Policy;

/// <summary>The policy file: what to block, what never to block, how, for how long, and on which backends.</summary>
public sealed record EnforcementPolicy(
    FindingSelection Select,
    PolicyExceptions Exceptions,
    EnforcementMode Mode,
    TimeSpan? Ttl,
    PortalSettings Portal,
    IReadOnlyList<SanctionedEndpoint> Allow,
    IReadOnlyList<BackendSettings> Backends);
