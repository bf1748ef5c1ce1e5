using ModelContextProtocol.Protocol;

namespace ShadowMcp.Portal.Aggregation;

/// <summary>An upstream tool as the portal shows it: renamed "{prefix}_{tool}", with the switches policy needs.</summary>
internal sealed record ExposedTool(
    string ExposedName,
    string ServerId,
    string UpstreamName,
    Tool Definition,
    bool IsReadOnly,
    bool EnabledByServer,
    bool HiddenByPin);
