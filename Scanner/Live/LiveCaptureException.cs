namespace ShadowMcp.Scanner.Live;

/// <summary>The interface cannot be opened or filtered (missing libpcap, no such interface, no permission, bad filter).</summary>
public sealed class LiveCaptureException(string message, Exception? inner = null) : Exception(message, inner);
