namespace ShadowMcp.Scanner.Http;

/// <summary>The HTTP context a JSON-RPC message travelled in: <c>http.request</c>, <c>http.response</c> or <c>sse</c>.</summary>
// A struct: one is made per JSON-RPC body and only passed down while its messages are emitted.
internal readonly record struct JsonRpcCarrier(string Name, bool FromClient, HttpRequestInfo? Request, HttpMessageHead? Response)
{
    public const string HttpRequest = "http.request";
    public const string HttpResponse = "http.response";
    public const string Sse = "sse";
}
