using System.Diagnostics;
using ShadowMcp.Tests;

namespace ShadowMcp.Enforcer.Tests.Support;

/// <summary>Runs a command for test setup and returns exit code and output.</summary>
internal static class Sh
{
    public static (int Code, string Out) Run(params string[] args)
    {
        ExternalTools.RequireIntegrationLane(args[0]);
        var psi = new ProcessStartInfo(args[0]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args.Skip(1)) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(30_000))
        {
            p.Kill(entireProcessTree: true);
            return (-1, "timeout");
        }
        return (p.ExitCode, stdout.Result + stderr.Result);
    }

    public static string Check(params string[] args)
    {
        var (code, output) = Run(args);
        if (code != 0) throw new InvalidOperationException($"{string.Join(' ', args)} failed ({code}): {output}");
        return output;
    }
}
