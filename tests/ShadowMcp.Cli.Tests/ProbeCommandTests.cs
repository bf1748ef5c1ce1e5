using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Protocol;

namespace ShadowMcp.Cli.Tests;

/// <summary>
/// `shadowmcp probe`: real C# SDK MCP servers (the default one, one pinned to 2026-07-28 that refuses initialize, one
/// over HTTPS with a self-signed certificate made here) and non-MCP services (a REST service with its own `/mcp`
/// path, one answering 200 JSON to everything, one echoing every body) on loopback. Only the MCP servers may be
/// reported, and nothing outside the allow list may be contacted.
/// </summary>
[Category("Integration")]
public sealed class ProbeCommandTests
{
    private WebApplication? _mcp, _rest, _discoverOnly, _json, _echo, _tls;
    private int _mcpPort, _restPort, _discoverOnlyPort, _jsonPort, _echoPort, _tlsPort;
    private X509Certificate2? _certificate;

    [OneTimeSetUp]
    public async Task StartServers()
    {
        var b = WebApplication.CreateSlimBuilder();
        b.WebHost.UseUrls("http://127.0.0.1:0");
        b.Logging.SetMinimumLevel(LogLevel.Warning);
        b.Services.AddMcpServer(o => o.ServerInfo = new Implementation { Name = "probe-target", Version = "0.4.2" })
            .WithHttpTransport().WithTools<LiveSensorTests.LiveTools>();
        _mcp = b.Build();
        _mcp.MapMcp("/mcp");
        await _mcp.StartAsync();
        _mcpPort = Port(_mcp);

        var r = WebApplication.CreateSlimBuilder();
        r.WebHost.UseUrls("http://127.0.0.1:0");
        r.Logging.SetMinimumLevel(LogLevel.Warning);
        _rest = r.Build();
        _rest.MapGet("/mcp", () => Results.Json(new[] { new { id = 1, name = "Master Control Program" } }));
        _rest.MapPost("/mcp", () => Results.Json(new { ok = true, created = 7 }));
        await _rest.StartAsync();
        _restPort = Port(_rest);

        // McpServerOptions.ProtocolVersion = 2026-07-28: the SDK refuses initialize (HTTP 400, -32022).
        var d = WebApplication.CreateSlimBuilder();
        d.WebHost.UseUrls("http://127.0.0.1:0");
        d.Logging.SetMinimumLevel(LogLevel.Warning);
        d.Services.AddMcpServer(o =>
        {
            o.ServerInfo = new Implementation { Name = "discover-only-target", Version = "2026.7.0" };
            o.ProtocolVersion = "2026-07-28";
        }).WithHttpTransport().WithTools<LiveSensorTests.LiveTools>();
        _discoverOnly = d.Build();
        _discoverOnly.MapMcp("/mcp");
        await _discoverOnly.StartAsync();
        _discoverOnlyPort = Port(_discoverOnly);

        _json = await CatchAll(async ctx => await ctx.Response.WriteAsJsonAsync(new { status = "ok", service = "inventory" }));
        _jsonPort = Port(_json);
        _echo = await CatchAll(async ctx =>
        {
            ctx.Response.ContentType = "application/json";
            if (HttpMethods.IsPost(ctx.Request.Method)) await ctx.Request.Body.CopyToAsync(ctx.Response.Body);
            else await ctx.Response.WriteAsync("{}");
        });
        _echoPort = Port(_echo);

        _certificate = SelfSignedCertificate();
        var t = WebApplication.CreateSlimBuilder();
        t.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.UseHttps(_certificate)));
        t.Logging.SetMinimumLevel(LogLevel.Warning);
        t.Services.AddMcpServer(o => o.ServerInfo = new Implementation { Name = "tls-target", Version = "1.1.0" })
            .WithHttpTransport().WithTools<LiveSensorTests.LiveTools>();
        _tls = t.Build();
        _tls.MapMcp("/mcp");
        await _tls.StartAsync();
        _tlsPort = Port(_tls);
    }

    private static async Task<WebApplication> CatchAll(RequestDelegate handler)
    {
        var b = WebApplication.CreateSlimBuilder();
        b.WebHost.UseUrls("http://127.0.0.1:0");
        b.Logging.SetMinimumLevel(LogLevel.Warning);
        var app = b.Build();
        app.Run(handler);
        await app.StartAsync();
        return app;
    }

    /// <summary>Made in memory for this run; nothing is written to disk or committed.</summary>
    private static X509Certificate2 SelfSignedCertificate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=probe-tls.test", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        using var ephemeral = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        return X509CertificateLoader.LoadPkcs12(ephemeral.Export(X509ContentType.Pkcs12), null);
    }

    [OneTimeTearDown]
    public async Task StopServers()
    {
        if (_mcp is not null) await _mcp.DisposeAsync();
        if (_rest is not null) await _rest.DisposeAsync();
        if (_discoverOnly is not null) await _discoverOnly.DisposeAsync();
        if (_json is not null) await _json.DisposeAsync();
        if (_echo is not null) await _echo.DisposeAsync();
        if (_tls is not null) await _tls.DisposeAsync();
        _certificate?.Dispose();
    }

    private static List<JsonElement> Findings(CliProcess.Result r)
    {
        Assert.That(r.ExitCode, Is.Zero, r.Stderr);
        return [.. JsonDocument.Parse(r.Stdout).RootElement.GetProperty("findings").EnumerateArray()];
    }

    private static int PortOf(JsonElement finding) => finding.GetProperty("endpoint").GetProperty("port").GetInt32();

    private static IEnumerable<string> Rules(JsonElement finding) =>
        finding.GetProperty("evidence").EnumerateArray().Select(e => e.GetProperty("rule").GetString()!);

    private static int Port(WebApplication app) =>
        new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()).Port;

    [Test]
    public void Probe_AllowListedLoopback_FindsTheMcpServerAndNotTheRestLookAlike()
    {
        var r = CliProcess.Run("probe", "127.0.0.1", "--allow", "127.0.0.1/32", "--ports", $"{_mcpPort},{_restPort}",
            "--format", "json", "--no-store", "--timeout-ms", "5000");

        Assert.That(r.ExitCode, Is.Zero, r.Stderr);
        var findings = JsonDocument.Parse(r.Stdout).RootElement.GetProperty("findings").EnumerateArray().ToList();
        var mcp = findings.Single(f => f.GetProperty("endpoint").GetProperty("port").GetInt32() == _mcpPort);
        Assert.Multiple(() =>
        {
            Assert.That(mcp.GetProperty("endpoint").GetProperty("path").GetString(), Is.EqualTo("/mcp"));
            Assert.That(mcp.GetProperty("verdict").GetString(), Is.EqualTo("shadow"));
            Assert.That(mcp.GetProperty("server").GetProperty("name").GetString(), Is.EqualTo("probe-target"));
            Assert.That(findings.Where(f => f.GetProperty("endpoint").GetProperty("port").GetInt32() == _restPort), Is.Empty,
                "a REST service that happens to have /mcp is not an MCP server");
        });
    }

    [Test]
    public void Probe_ServerThatRefusesInitialize_IsFoundThroughServerDiscover()
    {
        var findings = Findings(CliProcess.Run("probe", "127.0.0.1", "--allow", "127.0.0.1/32", "--ports", $"{_discoverOnlyPort}",
            "--paths", "/mcp", "--format", "json", "--no-store", "--timeout-ms", "5000"));

        var mcp = findings.Single(f => PortOf(f) == _discoverOnlyPort);
        Assert.Multiple(() =>
        {
            Assert.That(mcp.GetProperty("endpoint").GetProperty("path").GetString(), Is.EqualTo("/mcp"));
            Assert.That(mcp.GetProperty("verdict").GetString(), Is.EqualTo("shadow"), string.Join(", ", Rules(mcp)));
            Assert.That(mcp.GetProperty("server").GetProperty("name").GetString(), Is.EqualTo("discover-only-target"));
            Assert.That(mcp.GetProperty("protocolVersions").EnumerateArray().Select(v => v.GetString()), Does.Contain("2026-07-28"));
            Assert.That(Rules(mcp), Does.Contain("mcp-discover-result").And.Not.Contain("mcp-initialize-result"));
            Assert.That(mcp.GetProperty("tools").EnumerateArray().Select(v => v.GetString()), Does.Contain("ping"));
        });
    }

    [Test]
    public void Probe_Json200ToEverythingAndEchoServers_AreNotMcp()
    {
        var findings = Findings(CliProcess.Run("probe", "127.0.0.1", "--allow", "127.0.0.1/32", "--ports", $"{_jsonPort},{_echoPort}",
            "--format", "json", "--no-store", "--timeout-ms", "5000"));

        Assert.That(findings.Select(f => $"{PortOf(f)} {f.GetProperty("endpoint").GetProperty("path")} {string.Join(",", Rules(f))}"), Is.Empty,
            "answering 200 JSON to initialize and server/discover, or echoing them back, is not speaking MCP");
    }

    [Test]
    public void Probe_Tls_FindsTheHttpsMcpServerWithASelfSignedCertificate()
    {
        var findings = Findings(CliProcess.Run("probe", "127.0.0.1", "--allow", "127.0.0.1/32", "--ports", $"{_tlsPort}",
            "--paths", "/mcp", "--tls", "--format", "json", "--no-store", "--timeout-ms", "5000"));

        var mcp = findings.Single(f => PortOf(f) == _tlsPort);
        Assert.Multiple(() =>
        {
            Assert.That(mcp.GetProperty("endpoint").GetProperty("path").GetString(), Is.EqualTo("/mcp"));
            Assert.That(mcp.GetProperty("verdict").GetString(), Is.EqualTo("shadow"));
            Assert.That(mcp.GetProperty("server").GetProperty("name").GetString(), Is.EqualTo("tls-target"));
        });
    }

    [TestCase]
    [TestCase("--tls-verify")]
    public void Probe_TlsPortWithoutTlsOrWithVerification_FindsNothing(params string[] extra)
    {
        var args = new List<string> { "probe", "127.0.0.1", "--allow", "127.0.0.1/32", "--ports", $"{_tlsPort}", "--paths", "/mcp",
            "--format", "json", "--no-store", "--timeout-ms", "5000" };
        if (extra.Length > 0) args.Add("--tls");
        args.AddRange(extra);

        Assert.That(Findings(CliProcess.Run([.. args])), Is.Empty, "plain HTTP to a TLS port, or a self-signed certificate under --tls-verify");
    }

    [Test]
    public void Probe_TlsVerifyWithoutTls_IsAUsageError()
    {
        var r = CliProcess.Run("probe", "127.0.0.1", "--allow", "127.0.0.1/32", "--ports", $"{_tlsPort}", "--tls-verify", "--no-store");

        Assert.That(r.ExitCode, Is.EqualTo(64));
        Assert.That(r.Stderr, Does.Contain("--tls-verify needs --tls"));
    }

    [TestCase("10.1.2.3")]
    [TestCase("127.0.0.2")]
    [TestCase("127.0.0.0/30")]
    public void Probe_TargetOutsideAllowList_IsRefusedBeforeAnythingIsSent(string target)
    {
        var r = CliProcess.Run("probe", target, "--allow", "127.0.0.1/32", "--ports", $"{_mcpPort}", "--no-store");

        Assert.That(r.ExitCode, Is.EqualTo(64));
        Assert.That(r.Stderr, Does.Contain("not in the probe allow list").And.Contain("nothing was sent"));
    }

    [Test]
    public void Probe_WithoutAllowList_IsRefused()
    {
        var r = CliProcess.Run("probe", "127.0.0.1", "--ports", $"{_mcpPort}", "--no-store");

        Assert.That(r.ExitCode, Is.EqualTo(64));
        Assert.That(r.Stderr, Does.Contain("--allow is required"));
    }
}
