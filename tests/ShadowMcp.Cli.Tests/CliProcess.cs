using System.Diagnostics;
using ShadowMcp.Tests;

namespace ShadowMcp.Cli.Tests;

/// <summary>Runs the built `shadowmcp` as a user would: a separate process, with its exit code, stdout and stderr.</summary>
internal static class CliProcess
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    public static Result Run(params string[] args) => RunIn(Environment.CurrentDirectory, args);

    public static Result RunIn(string workingDirectory, params string[] args)
    {
        ExternalTools.RequireIntegrationLane("dotnet");
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory,
        };
        psi.ArgumentList.Add(RepoPaths.CliDll);
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment.Remove("SHADOWMCP_DB");
        psi.Environment.Remove("SHADOWMCP_CONFIG");
        psi.Environment.Remove("SHADOWMCP_HEC_TOKEN");
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
