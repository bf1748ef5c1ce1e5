using System.Diagnostics;
using System.Text;
using System.Text.Json;
using ShadowMcp.Tests;

namespace ShadowMcp.Admin.Tests.Support;

/// <summary>
/// A real OpenID Connect provider (panva's oidc-provider, node/oidc-provider.mjs) on 127.0.0.1. Started first, so
/// the admin hosts can point at its issuer; <see cref="RegisterClientAsync"/> then tells it their redirect URIs.
/// Test people: alice (shadowmcp-analysts), bob (shadowmcp-admins), carol (marketing, mapped to nothing).
/// </summary>
internal sealed class OidcProvider : IAsyncDisposable
{
    public const string ClientId = "shadowmcp-admin";
    public const string ClientSecret = "oidc-test-client-secret-5d1c9e";
    public const string AnalystGroup = "shadowmcp-analysts";
    public const string AdminGroup = "shadowmcp-admins";

    private readonly Process _node;
    private readonly StringBuilder _stderr = new();

    private OidcProvider(Process node, string issuer)
    {
        _node = node;
        Issuer = issuer;
    }

    public string Issuer { get; }
    /// <summary>What the provider wrote to stderr, for a failing test's message.</summary>
    public string Stderr { get { lock (_stderr) return _stderr.ToString(); } }

    public static async Task<OidcProvider> StartAsync()
    {
        var folder = Folder();
        var start = new ProcessStartInfo("node", ["oidc-provider.mjs"])
        {
            WorkingDirectory = folder,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var node = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
        var line = await ReadLineAsync(node);
        var issuer = JsonDocument.Parse(line).RootElement.GetProperty("issuer").GetString()!;
        var provider = new OidcProvider(node, issuer);
        node.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (provider._stderr) provider._stderr.AppendLine(e.Data); };
        node.BeginErrorReadLine();
        return provider;
    }

    /// <summary>Registers the admin client with these redirect URIs; the provider serves requests from then on.</summary>
    public async Task RegisterClientAsync(params string[] redirectUris)
    {
        var setup = JsonSerializer.Serialize(new { clientId = ClientId, clientSecret = ClientSecret, redirectUris });
        await _node.StandardInput.WriteLineAsync(setup);
        await _node.StandardInput.FlushAsync();
        var line = await ReadLineAsync(_node);
        Assert.That(line, Does.Contain("\"ready\":true"), "the provider should start: " + Stderr);
    }

    private static async Task<string> ReadLineAsync(Process node)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var line = await node.StandardOutput.ReadLineAsync(timeout.Token);
        return line ?? throw new InvalidOperationException("oidc-provider.mjs exited: " + await node.StandardError.ReadToEndAsync());
    }

    private static string Folder()
    {
        ExternalTools.Require("apt-get install nodejs npm", "node");
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "node");
            if (!File.Exists(Path.Combine(candidate, "oidc-provider.mjs"))) continue;
            ExternalTools.RequirePath(Path.Combine(candidate, "node_modules", "oidc-provider"), "the oidc-provider package",
                $"cd {candidate} && npm ci");
            return candidate;
        }
        throw new InvalidOperationException("tests/ShadowMcp.Admin.Tests/node not found above " + AppContext.BaseDirectory);
    }

    public async ValueTask DisposeAsync()
    {
        // Closing stdin asks the fixture to stop; a hung one is killed.
        _node.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await _node.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            _node.Kill(entireProcessTree: true);
        }
        _node.Dispose();
    }
}
