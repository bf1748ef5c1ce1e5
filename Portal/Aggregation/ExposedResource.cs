using ModelContextProtocol.Protocol;

namespace ShadowMcp.Portal.Aggregation;

/// <summary>An upstream resource. URIs are kept as they are (tool results link to them); the first server wins a clash.</summary>
internal sealed record ExposedResource(string ServerId, Resource Definition);
