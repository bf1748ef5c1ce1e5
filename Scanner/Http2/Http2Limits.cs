namespace ShadowMcp.Scanner.Http2;

/// <summary>The HTTP/2 bounds taken from the analyzer options.</summary>
internal sealed record Http2Limits(int MaxFrameBytes, int MaxHeaderBlockBytes, int MaxTableBytes, int MaxHeaderListBytes, int MaxStreams);
