namespace ShadowMcp.Scanner.Active;

/// <summary>What an active probe sends and how long it waits.</summary>
public sealed class ProbeOptions
{
    /// <summary>Paths tried on every port: the Streamable HTTP and legacy SSE defaults of the SDKs.</summary>
    public IReadOnlyList<string> Paths { get; init; } = ["/mcp", "/sse", "/"];
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(3);
    /// <summary>Bytes read from one response at most; an event stream that stays open is cut here or at the timeout.</summary>
    public int MaxResponseBytes { get; init; } = 64 * 1024;
    public int MaxConcurrency { get; init; } = 16;
    /// <summary>The protocol version the probe's initialize offers (server/discover always asks for 2026-07-28).</summary>
    public string ProtocolVersion { get; init; } = "2025-11-25";
    /// <summary>Speak HTTP inside TLS (HTTPS) on every target instead of plain HTTP; SNI is the target's host name.</summary>
    public bool Tls { get; init; }
    /// <summary>
    /// With <see cref="Tls"/>: validate the server certificate (chain and name). Off by default: a discovery probe of
    /// allow-listed hosts of our own must also find servers with self-signed or internal-CA certificates, and it
    /// sends no credentials.
    /// </summary>
    public bool ValidateCertificate { get; init; }
}
