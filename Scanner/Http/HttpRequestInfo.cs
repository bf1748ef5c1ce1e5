namespace ShadowMcp.Scanner.Http;

/// <summary>What a response, an SSE event or a JSON-RPC message repeats about the request it answers.</summary>
internal sealed class HttpRequestInfo(HttpMessageHead head, string path, string? host)
{
    public string Method => head.Method;
    public string Path { get; } = path;
    public string? Host { get; } = host;
    public IReadOnlyList<KeyValuePair<string, string>> Headers => head.Headers;
}
