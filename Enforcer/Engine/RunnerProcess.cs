using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using ShadowMcp.Enforcer.Backends;

namespace ShadowMcp.Enforcer.Engine;

/// <summary>
/// The enforcer's own process group: every tool it starts (nft, unbound-control, squid) inherits it, so a run
/// killed with SIGKILL leaves children that the next run can find by group and kill before it reads any state.
/// A leftover `nft -f` can then never commit after the record was reconciled.
/// </summary>
internal static partial class RunnerProcess
{
    [DllImport("libc", SetLastError = true)]
    private static extern int setpgid(int pid, int pgid);

    [DllImport("libc")]
    private static extern int getpgrp();

    /// <summary>Makes this process the leader of its own group (no-op when it already is one).</summary>
    public static void BecomeGroupLeader()
    {
        if (OperatingSystem.IsLinux()) _ = setpgid(0, 0);
    }

    /// <summary>This run's identity as written into intent rows: process group and start time.</summary>
    public static (int Group, long Start) Self() => OperatingSystem.IsLinux()
        ? (getpgrp(), StartTime(Environment.ProcessId) ?? 0)
        : (Environment.ProcessId, 0);

    /// <summary>
    /// Kills what is left of a dead run's process group (its tool children) and waits until they are gone.
    /// Throws when that run is still alive: two runs must not change the same backends at once.
    /// </summary>
    public static void KillLeftovers(int group, long start)
    {
        if (!OperatingSystem.IsLinux() || group == Self().Group) return;
        if (StartTime(group) == start)
            throw new BackendException($"another `enforce` run (process {group}) is still changing backends; try again when it ends");
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var members = Members(group, start);
            if (members.Count == 0) return;
            if (deadline.Elapsed > TimeSpan.FromSeconds(10))
                throw new BackendException($"leftover processes {string.Join(", ", members)} of a killed run would not exit");
            foreach (var pid in members)
            {
                try
                {
                    using var p = Process.GetProcessById(pid);
                    p.Kill();
                }
                catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
                {
                    // Gone already.
                }
            }
            Thread.Sleep(20);
        }
    }

    /// <summary>Processes in <paramref name="group"/> started no earlier than the run (so never an unrelated older group).</summary>
    private static List<int> Members(int group, long start)
    {
        var found = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)) continue;
            var stat = Stat(pid);
            if (stat is { } s && s.Group == group && s.Start >= start && s.State != 'Z') found.Add(pid);
        }
        return found;
    }

    private static long? StartTime(int pid) => Stat(pid)?.Start;

    /// <summary>Fields of /proc/PID/stat after the command name: state (3), pgrp (5), starttime (22).</summary>
    private static (char State, int Group, long Start)? Stat(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        var close = text.LastIndexOf(')');
        if (close < 0) return null;
        var f = text[(close + 2)..].Split(' ');
        if (f.Length < 20) return null;
        return (f[0][0], int.Parse(f[2], CultureInfo.InvariantCulture), long.Parse(f[19], CultureInfo.InvariantCulture));
    }
}
