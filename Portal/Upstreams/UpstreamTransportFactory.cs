using Microsoft.Extensions.Logging;
using ModelContextProtocol.Client;
using ShadowMcp.Portal.Config;

namespace ShadowMcp.Portal.Upstreams;

/// <summary>
/// Builds the client transport for an upstream. "/mcp" paths use Streamable HTTP, "/sse" legacy SSE, other
/// URLs let the SDK try Streamable HTTP and fall back to SSE. Credentials ride on a private HttpClient.
/// </summary>
internal static class UpstreamTransportFactory
{
    public static IClientTransport Create(UpstreamConfig upstream, HttpClient http, ILoggerFactory loggers)
    {
        if (upstream.Command is not null && (upstream.Url is null || upstream.Transport == "stdio"))
        {
            return new StdioClientTransport(new StdioClientTransportOptions
            {
                Name = upstream.Id,
                Command = upstream.Command,
                Arguments = upstream.Args,
                EnvironmentVariables = ChildEnvironment.For(upstream),
                ShutdownTimeout = TimeSpan.FromSeconds(5),
            }, loggers);
        }
        var endpoint = new Uri(upstream.Url!);
        return new HttpClientTransport(new HttpClientTransportOptions
        {
            Name = upstream.Id,
            Endpoint = endpoint,
            TransportMode = ModeFor(upstream.Transport, endpoint),
            ConnectionTimeout = TimeSpan.FromSeconds(upstream.TimeoutSeconds),
        }, http, loggers, ownsHttpClient: false);
    }

    internal static HttpTransportMode ModeFor(string transport, Uri endpoint) => transport switch
    {
        "streamable" => HttpTransportMode.StreamableHttp,
        "sse" => HttpTransportMode.Sse,
        _ when endpoint.AbsolutePath.TrimEnd('/').EndsWith("/mcp", StringComparison.OrdinalIgnoreCase) => HttpTransportMode.StreamableHttp,
        _ when endpoint.AbsolutePath.TrimEnd('/').EndsWith("/sse", StringComparison.OrdinalIgnoreCase) => HttpTransportMode.Sse,
        _ => HttpTransportMode.AutoDetect,
    };
}
