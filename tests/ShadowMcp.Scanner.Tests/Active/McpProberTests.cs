using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using ShadowMcp.Core.Observations;
using ShadowMcp.Scanner.Active;

namespace ShadowMcp.Scanner.Tests.Active;

/// <summary>
/// <see cref="McpProber"/> against real servers on 127.0.0.1: the C# MCP SDK (2.4.0) on Kestrel pinned to 2026-07-28
/// (it refuses initialize), the same over HTTPS with a self-signed certificate made here, and a Kestrel app that
/// echoes every body back. What the prober passes on is checked, and what the servers saw.
/// </summary>
[Category("Integration")]
public sealed class McpProberTests
{
    private const string SniName = "mcp-probe.test";

    [McpServerToolType]
    public sealed class ProbeTools
    {
        [McpServerTool(Name = "lookup_ticket"), System.ComponentModel.Description("Looks a ticket up.")]
        public static string LookupTicket(string id) => "ticket " + id;
    }

    private sealed record Server(WebApplication App, int Port, ConcurrentQueue<string> Requests, ConcurrentQueue<string> Sni) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => App.DisposeAsync();
    }

    /// <summary>A C# SDK server (stateless, the 2.4.0 default) pinned to 2026-07-28, which makes it refuse initialize.</summary>
    private static async Task<Server> StartDiscoverOnlyServer(X509Certificate2? certificate = null)
    {
        var requests = new ConcurrentQueue<string>();
        var sni = new ConcurrentQueue<string>();
        var b = WebApplication.CreateSlimBuilder();
        b.Logging.SetMinimumLevel(LogLevel.Warning);
        if (certificate is null) b.WebHost.UseUrls("http://127.0.0.1:0");
        else
            b.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.UseHttps(new HttpsConnectionAdapterOptions
            {
                ServerCertificateSelector = (_, name) => { sni.Enqueue(name ?? "(none)"); return certificate; },
            })));
        b.Services.AddMcpServer(o =>
        {
            o.ServerInfo = new Implementation { Name = "discover-only", Version = "7.0.1" };
            o.ProtocolVersion = "2026-07-28";
        }).WithHttpTransport().WithTools<ProbeTools>();
        var app = b.Build();
        app.Use(async (ctx, next) =>
        {
            requests.Enqueue($"{ctx.Request.Method} {ctx.Request.Path} v={ctx.Request.Headers["MCP-Protocol-Version"]} m={ctx.Request.Headers["Mcp-Method"]}");
            await next(ctx);
        });
        app.MapMcp("/mcp");
        await app.StartAsync();
        return new Server(app, PortOf(app), requests, sni);
    }

    private static int PortOf(WebApplication app) =>
        new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()).Port;

    private static X509Certificate2 SelfSigned()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=" + SniName, key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName(SniName);
        san.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var ephemeral = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        return X509CertificateLoader.LoadPkcs12(ephemeral.Export(X509ContentType.Pkcs12), null);
    }

    private static async Task<List<Observation>> Probe(ProbeTarget target, ProbeOptions options)
    {
        var sink = new ObservationList();
        await new McpProber(AddressAllowList.Parse(["127.0.0.1/32"]), options).ProbeAsync([target], sink, CancellationToken.None);
        return sink.Items;
    }

    private static ProbeOptions Options(bool tls = false, bool validate = false) =>
        new() { Paths = ["/mcp"], Timeout = TimeSpan.FromSeconds(5), Tls = tls, ValidateCertificate = validate };

    private static Observation? DiscoverResult(List<Observation> observations) =>
        observations.FirstOrDefault(o => o.Kind == ObservationKinds.JsonRpcResponse
            && o.Fields.GetAll("result.supportedVersions[]").Contains("2026-07-28"));

    [Test]
    public async Task Probe_PortThatAcceptsButNeverAnswers_IsAskedOnceNotAgainWithDiscover()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var accepted = 0;
        var held = new List<System.Net.Sockets.TcpClient>();
        using var stop = new CancellationTokenSource();
        var acceptLoop = Task.Run(async () =>
        {
            try
            {
                while (true)
                {
                    var client = await listener.AcceptTcpClientAsync(stop.Token);
                    Interlocked.Increment(ref accepted);
                    lock (held) held.Add(client); // read nothing, answer nothing
                }
            }
            catch (OperationCanceledException) { }
        });
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;

        var observations = await Probe(new ProbeTarget(IPAddress.Loopback, port),
            new ProbeOptions { Paths = ["/mcp"], Timeout = TimeSpan.FromMilliseconds(400) });

        stop.Cancel();
        await acceptLoop;
        lock (held) foreach (var c in held) c.Dispose();
        Assert.That(accepted, Is.EqualTo(2), "the initialize POST and the SSE GET, no discover after a silent initialize");
        Assert.That(observations.Where(o => o.Kind.StartsWith("jsonrpc", StringComparison.Ordinal)), Is.Empty);
    }

    [Test]
    public async Task Probe_ServerThatRefusesInitialize_AnswersTheDiscoverRequestAndTheToolsListAfterIt()
    {
        await using var server = await StartDiscoverOnlyServer();

        var observations = await Probe(new ProbeTarget(IPAddress.Loopback, server.Port), Options());

        var refusal = observations.SingleOrDefault(o => o.Kind == ObservationKinds.JsonRpcError && o.Fields.Get("request.method") == "initialize");
        var discover = DiscoverResult(observations);
        var tools = observations.SingleOrDefault(o => o.Kind == ObservationKinds.JsonRpcResponse && o.Fields.Has("result.tools[].name"));
        Assert.Multiple(() =>
        {
            Assert.That(refusal?.Fields.Get("error.code"), Is.EqualTo("-32022"), "the pinned server refuses initialize");
            Assert.That(discover, Is.Not.Null, string.Join("\n", observations));
            Assert.That(discover?.Fields.Get("result._meta.io.modelcontextprotocol/serverInfo.name"), Is.EqualTo("discover-only"));
            Assert.That(discover?.Fields.Get("request.method"), Is.EqualTo("server/discover"));
            Assert.That(tools?.Fields.Get("result.tools[].name"), Is.EqualTo("lookup_ticket"), "tools/list in the 2026-07-28 shape is accepted");
            Assert.That(observations.Where(o => o.Kind == ObservationKinds.HttpRequest || o.Fields.Get("carrier") == ObservationKinds.HttpRequest),
                Is.Empty, "the probe's own requests are never passed on");
            // What a 2026-07-28 SDK client sends: initialize refused, so no initialized; discover; tools/list; the SSE GET.
            Assert.That(server.Requests.Order(), Is.EqualTo(new[]
            {
                "GET /mcp v= m=",
                "POST /mcp v=2025-11-25 m=",
                "POST /mcp v=2026-07-28 m=server/discover",
                "POST /mcp v=2026-07-28 m=tools/list",
            }));
        });
    }

    [Test]
    public async Task Probe_Tls_SendsSniAndPassesOnTheHttpExchangedInside()
    {
        using var certificate = SelfSigned();
        await using var server = await StartDiscoverOnlyServer(certificate);

        var observations = await Probe(new ProbeTarget(IPAddress.Loopback, server.Port, SniName), Options(tls: true));

        Assert.Multiple(() =>
        {
            Assert.That(DiscoverResult(observations)?.Fields.Get("result._meta.io.modelcontextprotocol/serverInfo.name"), Is.EqualTo("discover-only"),
                string.Join("\n", observations));
            Assert.That(server.Sni.Distinct(), Is.EqualTo(new[] { SniName }));
            Assert.That(server.Requests, Has.Count.EqualTo(4));
            Assert.That(observations.Where(o => o.Kind == ObservationKinds.TlsClientHello), Is.Empty, "our own ClientHello is not evidence");
        });
    }

    [Test]
    public async Task Probe_PlainHttpAgainstTlsPort_ObservesNothingMcp()
    {
        using var certificate = SelfSigned();
        await using var server = await StartDiscoverOnlyServer(certificate);

        var observations = await Probe(new ProbeTarget(IPAddress.Loopback, server.Port), Options());

        Assert.That(observations.Where(o => o.Kind.StartsWith("jsonrpc", StringComparison.Ordinal)), Is.Empty);
    }

    [Test]
    public async Task Probe_TlsWithValidation_SelfSignedServerIsNotTalkedTo()
    {
        using var certificate = SelfSigned();
        await using var server = await StartDiscoverOnlyServer(certificate);

        var observations = await Probe(new ProbeTarget(IPAddress.Loopback, server.Port, SniName), Options(tls: true, validate: true));

        Assert.Multiple(() =>
        {
            Assert.That(server.Sni, Is.Not.Empty, "the handshake was attempted");
            Assert.That(server.Requests, Is.Empty, "no HTTP after a certificate that does not validate");
            Assert.That(observations, Is.Empty);
        });
    }

    [Test]
    public async Task Probe_EchoServer_ItsEchoOfTheProbesOwnMessagesIsNotPassedOn()
    {
        var b = WebApplication.CreateSlimBuilder();
        b.WebHost.UseUrls("http://127.0.0.1:0");
        b.Logging.SetMinimumLevel(LogLevel.Warning);
        await using var app = b.Build();
        app.Run(async ctx =>
        {
            ctx.Response.ContentType = "application/json";
            if (HttpMethods.IsPost(ctx.Request.Method)) await ctx.Request.Body.CopyToAsync(ctx.Response.Body);
            else await ctx.Response.WriteAsync("{\"ok\":true}");
        });
        await app.StartAsync();

        var observations = await Probe(new ProbeTarget(IPAddress.Loopback, PortOf(app)), Options());

        Assert.Multiple(() =>
        {
            Assert.That(observations.Count(o => o.Kind == ObservationKinds.HttpResponse), Is.EqualTo(5),
                "initialize, initialized, discover, tools/list and the GET were all answered");
            Assert.That(observations.Where(o => o.Kind.StartsWith("jsonrpc", StringComparison.Ordinal)), Is.Empty,
                string.Join("\n", observations));
        });
    }
}
