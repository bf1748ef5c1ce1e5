using System.ComponentModel;
using System.Diagnostics;

namespace ShadowMcp.Enforcer.Backends;

/// <summary>Runs an external tool (nft, unbound-control, squid) with arguments and optional stdin.</summary>
internal static class ToolRunner
{
    /// <summary>Which Debian package ships each tool, for the "not installed" message (checked with apt-cache).</summary>
    internal static readonly IReadOnlyDictionary<string, string> Packages =
        new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["nft"] = "nftables",
        ["unbound-control"] = "unbound",
        ["unbound"] = "unbound",
        ["squid"] = "squid",
        ["ip"] = "iproute2",
        ["rndc"] = "bind9-utils",
        ["systemctl"] = "systemd",
        ["pkill"] = "procps",
        ["ssh"] = "openssh-client",
        ["sudo"] = "sudo",
        ["dnsmasq"] = "dnsmasq",
        ["rec_control"] = "pdns-recursor",
        ["kresc"] = "knot-resolver",
        ["unbound-checkconf"] = "unbound",
        ["squidclient"] = "squidclient",
    };

    public sealed record Result(int ExitCode, string StdOut, string StdErr);

    public static async Task<Result> RunAsync(IReadOnlyList<string> command, string? stdin, CancellationToken ct, TimeSpan? timeout = null)
    {
        if (command.Count == 0) throw new BackendException("empty command");
        var psi = new ProcessStartInfo(command[0])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in command.Skip(1)) psi.ArgumentList.Add(a);
        Process process;
        try
        {
            process = Process.Start(psi) ?? throw new BackendException($"could not start {command[0]}");
        }
        catch (Win32Exception)
        {
            var tool = Path.GetFileName(command[0]);
            throw new MissingToolException(command[0], Packages.GetValueOrDefault(tool));
        }
        using (process)
        {
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
            limit.CancelAfter(timeout ?? TimeSpan.FromSeconds(60));
            var stdout = process.StandardOutput.ReadToEndAsync(limit.Token);
            var stderr = process.StandardError.ReadToEndAsync(limit.Token);
            if (stdin is not null) await process.StandardInput.WriteAsync(stdin.AsMemory(), limit.Token);
            process.StandardInput.Close();
            try
            {
                await process.WaitForExitAsync(limit.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw new BackendException($"{string.Join(' ', command)} did not finish in time");
            }
            return new Result(process.ExitCode, await stdout, await stderr);
        }
    }

    /// <summary>Runs and throws a <see cref="BackendException"/> carrying stderr when the exit code is not 0.</summary>
    public static async Task<string> RunCheckedAsync(IReadOnlyList<string> command, string? stdin, CancellationToken ct)
    {
        var r = await RunAsync(command, stdin, ct);
        if (r.ExitCode != 0)
            throw new BackendException($"{string.Join(' ', command)} failed (exit {r.ExitCode}): {(r.StdErr + r.StdOut).Trim()}");
        return r.StdOut;
    }
}
