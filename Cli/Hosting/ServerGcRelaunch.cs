using System.Collections;
using System.Runtime;
using System.Runtime.InteropServices;
using System.Text;

namespace ShadowMcp.Cli.Hosting;

/// <summary>
/// The runtimeconfig gives every command workstation GC with a compacting gen 2 (scan and the sensor hold bounded
/// state and stay small: README, Performance, "Memory"), but the portal answers many calls at once and server GC
/// gives it +69% calls/s at 64 clients (docs/portal.md). The GC is fixed when the runtime starts, so `portal`, and
/// `serve` when its settings run a portal, replace the process image with themselves under server GC (execve: same
/// PID, same open descriptors, same systemd unit) before anything starts. A `serve` without a portal keeps the
/// sensor's smaller heap. An operator who set a GC in the environment keeps it.
/// </summary>
internal static class ServerGcRelaunch
{
    /// <summary>
    /// Returns only when the process keeps running as it is: already server GC, a GC chosen in the environment, not
    /// Linux, or execve failed (then a line on <paramref name="stderr"/> says so).
    /// </summary>
    public static void Now(TextWriter stderr)
    {
        if (GCSettings.IsServerGC || !OperatingSystem.IsLinux()) return;
        var environment = Environment.GetEnvironmentVariables();
        if (ChoosesGc(environment)) return;
        var argv = CommandLine();
        if (argv is null || Environment.ProcessPath is not { } path) return;
        var envp = Relaunched(environment);
        string failure;
        try
        {
            ForgetDiagnosticSocket();
            _ = execve(path, [.. argv, null], [.. envp, null]);
            failure = $"errno {Marshal.GetLastPInvokeError()}";
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or MarshalDirectiveException)
        {
            failure = e.GetType().Name;
        }
        stderr.WriteLine($"shadowmcp: could not restart under server GC ({failure}); running with workstation GC");
    }

    /// <summary>Any GC setting the operator gave in the environment (DOTNET_ or COMPlus_ prefix): theirs wins.</summary>
    internal static bool ChoosesGc(IDictionary environment)
    {
        foreach (DictionaryEntry entry in environment)
            if (entry.Key is string name
                && (name.StartsWith("DOTNET_gc", StringComparison.OrdinalIgnoreCase) || name.StartsWith("COMPlus_gc", StringComparison.OrdinalIgnoreCase)))
                return true;
        return false;
    }

    /// <summary>The same environment plus server GC, without the scan's gen 2 compaction (it costs the portal CPU).</summary>
    internal static List<string> Relaunched(IDictionary environment)
    {
        var envp = new List<string>(environment.Count + 2);
        foreach (DictionaryEntry entry in environment) envp.Add($"{entry.Key}={entry.Value}");
        envp.Add("DOTNET_gcServer=1");
        envp.Add("DOTNET_GCConserveMemory=0");
        return envp;
    }

    /// <summary>This process's argv as the kernel holds it (`dotnet shadowmcp.dll serve ...` or `shadowmcp serve ...`).</summary>
    private static string[]? CommandLine()
    {
        try
        {
            return Arguments(File.ReadAllBytes("/proc/self/cmdline"));
        }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }

    /// <summary>
    /// The arguments in /proc/self/cmdline's form: each ends with one NUL. Only the last NUL is cut, so an empty last
    /// argument (`--replica ""`) is passed on, not dropped (the restarted command would then be missing a value).
    /// </summary>
    internal static string[]? Arguments(ReadOnlySpan<byte> cmdline)
    {
        if (cmdline.IsEmpty) return null;
        if (cmdline[^1] == 0) cmdline = cmdline[..^1];
        return Encoding.UTF8.GetString(cmdline).Split('\0');
    }

    /// <summary>
    /// Removes this process's diagnostic socket (dotnet-counters, dotnet-trace, dotnet-dump connect to it). Its name
    /// holds the PID and the process start time, both the same after execve, and the runtime of the new image does not
    /// replace a socket file that is there: it would leave the portal with a dead socket no tool can connect to. The
    /// listening end itself is closed by execve (close-on-exec); the new runtime binds a fresh one.
    /// </summary>
    private static void ForgetDiagnosticSocket()
    {
        try
        {
            // Named by this process's start time too (field 22 of /proc/self/stat, after the command name in
            // parentheses), so a /tmp shared with another PID namespace loses no other process's socket.
            var stat = File.ReadAllText("/proc/self/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            if (fields.Length < 20) return;
            File.Delete(Path.Combine(Path.GetTempPath(), $"dotnet-diagnostic-{Environment.ProcessId}-{fields[19]}-socket"));
        }
        catch (IOException) { /* then only the diagnostic tools cannot connect */ }
        catch (UnauthorizedAccessException) { }
    }

    // LPStr is UTF-8 on Linux; the arrays end with a null pointer, as execve wants.
    [DllImport("libc", SetLastError = true)]
    private static extern int execve(
        [MarshalAs(UnmanagedType.LPStr)] string path,
        [MarshalAs(UnmanagedType.LPArray, ArraySubType = UnmanagedType.LPStr)] string?[] argv,
        [MarshalAs(UnmanagedType.LPArray, ArraySubType = UnmanagedType.LPStr)] string?[] envp);
}
