using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace ShadowMcp.Portal.Relay;

/// <summary>Where a call's mid-call traffic goes back to: the caller's request, its progress token, its session.</summary>
internal sealed record CallRelay(McpServer RequestServer, ProgressToken? ProgressToken, DownstreamSession? Session);
