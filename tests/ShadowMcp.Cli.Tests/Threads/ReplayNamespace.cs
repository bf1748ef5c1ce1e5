using System.Diagnostics;
using System.Globalization;
using ShadowMcp.Tests;

namespace ShadowMcp.Cli.Tests.Threads;

/// <summary>
/// A network namespace of its own with a veth pair in it: tcpreplay writes captures into one end, a real
/// `shadowmcp sensor` captures on the other. Nothing else sends there (no test's traffic on `lo`), and the frames
/// (zero MACs, loopback addresses) reach no host: the kernel drops them as not addressed to it, so no stack answers
/// and the sensor sees exactly what was replayed.
/// </summary>
internal sealed class ReplayNamespace : IDisposable
{
    private const string Into = "vr";

    /// <summary>The end the sensor captures on.</summary>
    public const string CaptureInterface = "vc";

    private ReplayNamespace(string name) => Name = name;

    public string Name { get; }

    public static ReplayNamespace Create()
    {
        ExternalTools.Require("apt-get install iproute2 tcpreplay", "ip", "tcpreplay");
        var ns = new ReplayNamespace($"smcp-rep-{Random.Shared.Next(0x1000, 0xFFFF):x4}");
        try
        {
            Run("ip", "netns", "add", ns.Name);
            Run("ip", "-n", ns.Name, "link", "add", Into, "type", "veth", "peer", "name", CaptureInterface);
            foreach (var dev in new[] { "lo", Into, CaptureInterface }) Run("ip", "-n", ns.Name, "link", "set", dev, "up");
            return ns;
        }
        catch
        {
            ns.Dispose();
            throw;
        }
    }

    /// <summary>Starts <c>shadowmcp sensor</c> inside the namespace on the capture end.</summary>
    public SensorRun StartSensor(string directory, params string[] args)
    {
        var psi = new ProcessStartInfo("ip") { RedirectStandardOutput = true, RedirectStandardError = true };
        // ip execs the command after entering the namespace, so the process is the sensor itself (signals reach it).
        foreach (var a in new[] { "netns", "exec", Name, "dotnet", RepoPaths.CliDll, "sensor", "-i", CaptureInterface,
                     "--format", "json", "--db", Path.Combine(directory, "live.db"), "--verbose" }.Concat(args))
            psi.ArgumentList.Add(a);
        psi.Environment.Remove("SHADOWMCP_CONFIG");
        return new SensorRun(Process.Start(psi)!);
    }

    /// <summary>Replays the captures, one after another, at <paramref name="packetsPerSecond"/>; returns the packets sent.</summary>
    public long Replay(int packetsPerSecond, IEnumerable<string> captures)
    {
        var output = Run(["ip", "netns", "exec", Name, "tcpreplay", "-i", Into,
            "--pps", packetsPerSecond.ToString(CultureInfo.InvariantCulture), .. captures]);
        var line = output.Split('\n').Single(l => l.Contains("Successful packets:", StringComparison.Ordinal));
        return long.Parse(line.Split(':')[1].Trim(), CultureInfo.InvariantCulture);
    }

    private static string Run(params string[] args)
    {
        var psi = new ProcessStartInfo(args[0]) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args.Skip(1)) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        // Hang guard only (a replay of a few thousand packets takes seconds).
        if (!p.WaitForExit(120_000))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"{string.Join(' ', args)} did not finish");
        }
        var output = stdout.Result + stderr.Result;
        if (p.ExitCode != 0) throw new InvalidOperationException($"{string.Join(' ', args)} failed ({p.ExitCode}): {output}");
        return output;
    }

    public void Dispose()
    {
        try
        {
            Run("ip", "netns", "del", Name);
        }
        catch (InvalidOperationException)
        {
            // Never created, or already gone.
        }
    }
}
