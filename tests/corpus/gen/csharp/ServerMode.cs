using System.IO.Compression;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.ResponseCompression;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using ModelContextProtocol.AspNetCore;
using ModelContextProtocol.AspNetCore.Authentication;
using ModelContextProtocol.Authentication;
using ModelContextProtocol.Protocol;

namespace ShadowMcp.Corpus;

/// <summary>Hosts a real Streamable HTTP (and optionally legacy SSE / OAuth-gated) MCP server on loopback.</summary>
internal static class ServerMode
{
    public static async Task<int> RunAsync(GenArgs args)
    {
        var port = int.Parse(args.Get("port", "8931"), System.Globalization.CultureInfo.InvariantCulture);
        var path = args.Get("path", "/mcp");
        var address = args.Get("host", "127.0.0.1");
        if (!System.Net.IPAddress.TryParse(address, out var ip) || !System.Net.IPAddress.IsLoopback(ip))
        {
            throw new ArgumentException($"refusing non-loopback address '{address}'");
        }

        var host = ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{address}]" : address;
        var session = args.Get("session", "default");
        var oauth = args.Flag("oauth");
        var tlsCert = args.Find("tls-cert");
        var baseUrl = $"{(tlsCert is null ? "http" : "https")}://{host}:{port}";

        var builder = WebApplication.CreateSlimBuilder();
        if (tlsCert is null)
        {
            builder.WebHost.UseUrls(baseUrl);
            if (args.Flag("h2"))
            {
                // Cleartext HTTP/2 only: clients must use prior knowledge (Kestrel has no h2c upgrade).
                builder.WebHost.ConfigureKestrel(k => k.ConfigureEndpointDefaults(l => l.Protocols = HttpProtocols.Http2));
            }
        }
        else
        {
            // HTTPS with HTTP/1.1 and h2 by ALPN; --tls-max 1.2 pins TLS 1.2 (key log: SSLKEYLOGFILE, see Program).
            var certificate = System.Security.Cryptography.X509Certificates.X509CertificateLoader
                .LoadPkcs12FromFile(tlsCert, password: null);
            var protocols = args.Get("tls-max", "1.3") == "1.2"
                ? System.Security.Authentication.SslProtocols.Tls12
                : System.Security.Authentication.SslProtocols.Tls12 | System.Security.Authentication.SslProtocols.Tls13;
            builder.WebHost.ConfigureKestrel(k => k.Listen(ip, port, l =>
            {
                l.Protocols = Microsoft.AspNetCore.Server.Kestrel.Core.HttpProtocols.Http1AndHttp2;
                l.UseHttps(certificate, h => h.SslProtocols = protocols);
            }));
        }

        var compress = args.Find("compress");
        if (compress is not null)
        {
            builder.Services.AddResponseCompression(o =>
            {
                // Event streams too: the C# server answers every request SSE-framed.
                o.MimeTypes = ResponseCompressionDefaults.MimeTypes.Append("text/event-stream");
                if (compress == "br") o.Providers.Add<BrotliCompressionProvider>();
                else o.Providers.Add<GzipCompressionProvider>();
            });
            builder.Services.Configure<GzipCompressionProviderOptions>(o => o.Level = CompressionLevel.Fastest);
            builder.Services.Configure<BrotliCompressionProviderOptions>(o => o.Level = CompressionLevel.Fastest);
        }
        builder.Logging.SetMinimumLevel(LogLevel.Warning);

        var mcp = builder.Services
            .AddMcpServer(o => o.ServerInfo = new Implementation { Name = args.Get("name", "corpus-csharp-server"), Version = "1.4.2" })
            .WithHttpTransport(o =>
            {
                // "default" leaves the SDK's own default (stateless since 2026-07-28) untouched on purpose.
                if (session == "stateful")
                {
                    o.SessionMode = HttpServerSessionMode.Stateful;
                }
                else if (session == "hybrid")
                {
                    o.SessionMode = HttpServerSessionMode.StatefulForInitializeClients;
                }
                else if (session == "stateless")
                {
                    o.SessionMode = HttpServerSessionMode.Stateless;
                }

                // Legacy SSE is obsolete in the SDK, but the corpus needs real 2024-11-05 style traffic.
#pragma warning disable MCP9004
                o.EnableLegacySse = args.Flag("legacy-sse");
#pragma warning restore MCP9004
            })
            .WithTools<CorpusTools>()
            .WithPrompts<CorpusPrompts>()
            .WithResources<CorpusResources>();
        if (args.Flag("shape-tools"))
        {
            mcp.WithTools<ShapeTools>();
        }

        if (oauth)
        {
            builder.Services
                .AddAuthentication(o =>
                {
                    o.DefaultAuthenticateScheme = StaticBearerHandler.SchemeName;
                    o.DefaultChallengeScheme = McpAuthenticationDefaults.AuthenticationScheme;
                })
                .AddScheme<AuthenticationSchemeOptions, StaticBearerHandler>(StaticBearerHandler.SchemeName, null)
                .AddMcp(o => o.ResourceMetadata = new ProtectedResourceMetadata
                {
                    Resource = $"{baseUrl}{path}",
                    AuthorizationServers = [$"{baseUrl}/oauth"],
                    ScopesSupported = ["mcp:tools"],
                    ResourceName = "Corpus protected MCP server",
                });
            builder.Services.AddAuthorization();
        }

        var app = builder.Build();
        if (compress is not null)
        {
            app.UseResponseCompression();
        }

        if (oauth)
        {
            app.UseAuthentication();
            app.UseAuthorization();
            app.MapMcp(path).RequireAuthorization();
        }
        else
        {
            app.MapMcp(path);
        }

        await app.StartAsync();
        Console.WriteLine($"READY {baseUrl}{path}");
        await app.WaitForShutdownAsync();
        return 0;
    }
}
