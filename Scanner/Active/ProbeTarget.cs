using System.Net;

namespace ShadowMcp.Scanner.Active;

/// <summary>One address and port to probe; <see cref="HostName"/> is sent as Host when the target came from a name.</summary>
public sealed record ProbeTarget(IPAddress Address, int Port, string? HostName = null);
