namespace ShadowMcp.Classifier.Rules;

/// <summary>Record names with a meaning for the finding, not just for the detail text.</summary>
public static class RecordNames
{
    public const string ProtocolVersion = "protocolVersion";
    public const string Server = "server";
    public const string ServerVersion = "serverVersion";
    public const string Client = "client";
    public const string ClientVersion = "clientVersion";
    public const string Tool = "tool";
    public const string Host = "host";
    /// <summary>A legacy SSE message URL: POSTs to its path on the same server merge into the stream's endpoint.</summary>
    public const string MessageEndpoint = "messageEndpoint";
}
