using ShadowMcp.Tests;
using System.Diagnostics;

namespace ShadowMcp.Portal.Tests.Fixtures;

/// <summary>
/// Runs the official TypeScript SDK scripts in tests/ShadowMcp.Portal.Tests/node (installed there by `npm ci`).
/// </summary>
internal static class NodeScripts
{
    private static string? _folder;

    /// <summary>Found on first use, so a missing SDK fails the test that needs it with the shared message.</summary>
    public static string Folder => _folder ??= Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "node");
            if (File.Exists(Path.Combine(candidate, "package.json")) && File.Exists(Path.Combine(candidate, "server.mjs")))
            {
                ExternalTools.Require("apt-get install nodejs npm", "node");
                ExternalTools.RequirePath(Path.Combine(candidate, "node_modules", "@modelcontextprotocol", "sdk"),
                    "the MCP TypeScript SDK", $"cd {candidate} && npm ci");
                return candidate;
            }
        }
        throw new InvalidOperationException("tests/ShadowMcp.Portal.Tests/node not found above " + AppContext.BaseDirectory);
    }

    public static async Task<(int Code, string Stdout, string Stderr)> RunAsync(string script, TimeSpan timeout, params string[] args)
    {
        ExternalTools.RequireIntegrationLane("node");
        var psi = new ProcessStartInfo("node") { WorkingDirectory = Folder, RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(script);
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try { await process.WaitForExitAsync(cts.Token); }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"node {script} did not finish within {timeout}: {await stderr}");
        }
        return (process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Starts the TypeScript server in HTTP mode and returns it with its /mcp URL.</summary>
    public static async Task<(Process Process, string Url)> StartHttpServerAsync()
    {
        ExternalTools.RequireIntegrationLane("node");
        var psi = new ProcessStartInfo("node") { WorkingDirectory = Folder, RedirectStandardOutput = true, RedirectStandardInput = true, RedirectStandardError = true };
        psi.ArgumentList.Add("server.mjs");
        psi.ArgumentList.Add("http");
        var process = Process.Start(psi)!;
        var line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
        if (line is null || !line.StartsWith("LISTENING ", StringComparison.Ordinal))
            throw new InvalidOperationException($"TypeScript server did not start: {line} {await process.StandardError.ReadToEndAsync()}");
        return (process, line[10..].Trim());
    }
}
