namespace ShadowMcp.Core.Findings;

/// <summary>How an MCP endpoint was reached, as the wire showed it.</summary>
public static class Transports
{
    /// <summary>Streamable HTTP with a session (Mcp-Session-Id) and SSE responses.</summary>
    public const string StreamableHttp = "streamable-http";
    /// <summary>Streamable HTTP answering with plain JSON bodies.</summary>
    public const string StreamableHttpJson = "streamable-http-json";
    /// <summary>Streamable HTTP without sessions (stateless servers, and the 2026-07-28 protocol).</summary>
    public const string Stateless = "stateless";
    /// <summary>The 2024-11-05 HTTP+SSE transport: GET stream with an "endpoint" event, POSTs to a message URL.</summary>
    public const string SseLegacy = "sse-legacy";
    public const string Dns = "dns";
    public const string Tls = "tls";
    /// <summary>HTTP evidence without enough to tell the transport (a 401 challenge, a well-known fetch).</summary>
    public const string Http = "http";
}
