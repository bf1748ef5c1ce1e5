using System.Diagnostics;
using ShadowMcp.Tests;

namespace ShadowMcp.Hosts.Tests;

/// <summary>Runs the built `shadowmcp` as a separate process, optionally as another (unprivileged) user.</summary>
internal static class CliProcess
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    public static Result Run(params string[] args) => RunAs(null, args);

    /// <summary><paramref name="uid"/>: run under setpriv as that user and group (the test runs as root).</summary>
    public static Result RunAs(int? uid, params string[] args)
    {
        ExternalTools.RequireIntegrationLane("dotnet");
        var psi = new ProcessStartInfo(uid is null ? "dotnet" : "setpriv")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetTempPath(),
        };
        if (uid is { } u)
            foreach (var a in new[] { $"--reuid={u}", $"--regid={u}", "--clear-groups", "dotnet" }) psi.ArgumentList.Add(a);
        psi.ArgumentList.Add(RepoPaths.CliDll);
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment.Remove("SHADOWMCP_DB");
        psi.Environment.Remove("SHADOWMCP_CONFIG");
        psi.Environment.Remove("SHADOWMCP_HOST_TOKEN");
        if (uid is not null)
        {
            psi.Environment["HOME"] = Path.GetTempPath();
            psi.Environment["DOTNET_CLI_HOME"] = Path.GetTempPath();
        }
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(120_000))
        {
            p.Kill(entireProcessTree: true);
            Assert.Fail($"shadowmcp {string.Join(' ', args)} did not finish in 120 s");
        }
        return new Result(p.ExitCode, stdout.Result, stderr.Result);
    }
}
