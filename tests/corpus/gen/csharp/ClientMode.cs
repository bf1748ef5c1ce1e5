using System.Net;
using System.Text.Json;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace ShadowMcp.Corpus;

/// <summary>
/// Drives a real MCP session: connect, list and call a tool, list prompts and resources, then prints a
/// RESULT line with what the SDK itself reports (negotiated version, server info) for the manifest.
/// </summary>
internal static class ClientMode
{
    public static async Task<int> RunAsync(GenArgs args)
    {
        var endpoint = new Uri(args.Get("url", "http://127.0.0.1:8931/mcp"));
        var transportOptions = new HttpClientTransportOptions
        {
            Endpoint = endpoint,
            Name = "corpus",
            TransportMode = args.Get("transport", "auto") switch
            {
                "sse" => HttpTransportMode.Sse,
                "streamable" => HttpTransportMode.StreamableHttp,
                _ => HttpTransportMode.AutoDetect,
            },
        };
        var clientOptions = new McpClientOptions
        {
            ClientInfo = new Implementation { Name = "corpus-csharp-client", Version = "0.9.1" },
            ProtocolVersion = args.Find("protocol"),
        };

        if (args.Flag("oauth"))
        {
            await ProbeOAuthAsync(endpoint, transportOptions, clientOptions);
        }

        using var http = CreateHttpClient(args);

        await using var client = await McpClient.CreateAsync(new HttpClientTransport(transportOptions, http), clientOptions);
        if (args.Find("seed") is not null)
        {
            // The shape corpus' agent: a seeded mix of calls, lists and think time instead of the fixed steps below.
            await new ShapeAgent(args).RunAsync(client);
            Console.WriteLine("RESULT " + JsonSerializer.Serialize(new Dictionary<string, object?>
            {
                ["negotiated"] = client.NegotiatedProtocolVersion,
                ["server_name"] = client.ServerInfo?.Name,
                ["client_transport"] = transportOptions.TransportMode.ToString(),
            }));
            return 0;
        }

        // --fanout: the session's first two requests go out together (resources listed beside the tools) and each
        // request takes the first connection not waiting for an answer (FirstFreeConnectionHandler), so over HTTP/1.1
        // a second connection carries the one request beside the one that carries the rest, as the AI SDK's does.
        var early = args.Flag("fanout") && client.ServerCapabilities?.Resources is not null
            ? client.ListResourcesAsync().AsTask() : null;
        var tools = await client.ListToolsAsync();
        var called = await client.CallToolAsync("echo", new Dictionary<string, object?> { ["message"] = "hello corpus" });
        var prompts = client.ServerCapabilities?.Prompts is null ? [] : await client.ListPromptsAsync();
        var resources = early is not null ? await early
            : client.ServerCapabilities?.Resources is null ? [] : await client.ListResourcesAsync();
        // --calls N --think-ms M: an agent's further tool calls with think time between them (shape corpus).
        var thinkMs = int.Parse(args.Get("think-ms", "0"), System.Globalization.CultureInfo.InvariantCulture);
        // --parallel K: K calls at a time, as an agent running tool calls side by side (HTTP/1.1 opens more connections).
        var parallel = Math.Max(1, int.Parse(args.Get("parallel", "1"), System.Globalization.CultureInfo.InvariantCulture));
        for (var i = int.Parse(args.Get("calls", "0"), System.Globalization.CultureInfo.InvariantCulture); i > 0; i -= parallel)
        {
            await Task.Delay(thinkMs);
            var step = i;
            await Task.WhenAll(Enumerable.Range(0, Math.Min(parallel, step)).Select(k => client.CallToolAsync("echo",
                new Dictionary<string, object?> { ["message"] = $"step {step - k}" }).AsTask()));
        }

        // --big BYTES, --progress STEPS, --idle-ms M: the shape corpus' large result, long task and idle open client.
        var big = int.Parse(args.Get("big", "0"), System.Globalization.CultureInfo.InvariantCulture);
        if (big > 0)
        {
            await client.CallToolAsync("fetch_doc", new Dictionary<string, object?> { ["size"] = big });
        }

        // --reads N: N large results of 8-120 kB after think time, as an agent reading files or pages.
        for (var i = 0; i < int.Parse(args.Get("reads", "0"), System.Globalization.CultureInfo.InvariantCulture); i++)
        {
            await Task.Delay(thinkMs);
            await client.CallToolAsync("fetch_doc", new Dictionary<string, object?> { ["size"] = 8000 + (i * 37_337 % 112_000) });
        }

        var steps = int.Parse(args.Get("progress", "0"), System.Globalization.CultureInfo.InvariantCulture);
        if (steps > 0)
        {
            await client.CallToolAsync("long_task", new Dictionary<string, object?> { ["steps"] = steps, ["delay_ms"] = 150 },
                new Progress<ProgressNotificationValue>(_ => { }));
        }

        await Task.Delay(int.Parse(args.Get("idle-ms", "0"), System.Globalization.CultureInfo.InvariantCulture));

        var result = new Dictionary<string, object?>
        {
            ["negotiated"] = client.NegotiatedProtocolVersion,
            ["server_name"] = client.ServerInfo?.Name,
            ["server_version"] = client.ServerInfo?.Version,
            ["tools"] = tools.Select(t => t.Name).ToArray(),
            ["prompts"] = prompts.Select(p => p.Name).ToArray(),
            ["resources"] = resources.Select(r => r.Uri).ToArray(),
            ["client_transport"] = transportOptions.TransportMode.ToString(),
            ["call_error"] = called.IsError ?? false,
        };
        Console.WriteLine("RESULT " + JsonSerializer.Serialize(result));
        return 0;
    }

    /// <summary>
    /// The client's HttpClient: HTTP/2 with prior knowledge (--h2: every request exactly 2.0, so cleartext h2)
    /// and Accept-Encoding with automatic decompression (--decompress).
    /// </summary>
    private static HttpClient CreateHttpClient(GenArgs args)
    {
        // --fanout: connections picked as Node's undici pool picks them, so requests sent together get their own.
        if (args.Flag("fanout") && !args.Flag("h2") && !args.Flag("http2"))
            return new HttpClient(new FirstFreeConnectionHandler(() => CreateHandler(args)));
        var handler = CreateHandler(args);
        // --h2: every request exactly 2.0 (cleartext prior knowledge); --http2: ask for h2 over TLS (ALPN).
        return args.Flag("h2") || args.Flag("http2") ? new HttpClient(new Http2ExactHandler(handler)) : new HttpClient(handler);
    }

    private static SocketsHttpHandler CreateHandler(GenArgs args)
    {
        var handler = new SocketsHttpHandler
        {
            AutomaticDecompression = args.Flag("decompress") ? DecompressionMethods.All : DecompressionMethods.None,
        };
        // --insecure-tls trusts the corpus' self-signed loopback certificate.
        if (args.Flag("insecure-tls"))
        {
#pragma warning disable CA5359 // the generator's own self-signed certificate on 127.0.0.1, nothing else
            handler.SslOptions.RemoteCertificateValidationCallback = (_, _, _, _) => true;
#pragma warning restore CA5359
        }
        return handler;
    }

    /// <summary>
    /// Plays the discovery half of the OAuth flow for real: the SDK client is refused with 401, the
    /// resource metadata named in WWW-Authenticate is fetched, then the session proceeds with a token.
    /// </summary>
    private static async Task ProbeOAuthAsync(Uri endpoint, HttpClientTransportOptions transportOptions, McpClientOptions clientOptions)
    {
        try
        {
            await using var denied = await McpClient.CreateAsync(new HttpClientTransport(transportOptions), clientOptions);
            throw new InvalidOperationException("server accepted a client without a token");
        }
        catch (HttpRequestException e) when (e.StatusCode == HttpStatusCode.Unauthorized)
        {
            Console.WriteLine("401 as expected: " + e.Message);
        }

        using var http = new HttpClient();
        using var challenge = await http.PostAsync(endpoint, new StringContent("{}", System.Text.Encoding.UTF8, "application/json"));
        var header = challenge.Headers.WwwAuthenticate.ToString();
        const string key = "resource_metadata=\"";
        var start = header.IndexOf(key, StringComparison.Ordinal);
        if (start < 0)
        {
            throw new InvalidOperationException($"no resource_metadata in WWW-Authenticate: '{header}'");
        }

        var metadataUrl = header[(start + key.Length)..header.IndexOf('"', start + key.Length)];
        Console.WriteLine("metadata: " + await http.GetStringAsync(metadataUrl));
        transportOptions.AdditionalHeaders = new Dictionary<string, string> { ["Authorization"] = $"Bearer {StaticBearerHandler.Token}" };
    }

}
