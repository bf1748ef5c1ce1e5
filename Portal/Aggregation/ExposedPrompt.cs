using ModelContextProtocol.Protocol;

namespace ShadowMcp.Portal.Aggregation;

/// <summary>An upstream prompt under its exposed "{prefix}_{prompt}" name.</summary>
internal sealed record ExposedPrompt(string ExposedName, string ServerId, string UpstreamName, Prompt Definition);
