using System.Runtime.InteropServices;

namespace ShadowMcp.Portal.CodeMode.Worker;

/// <summary>
/// RLIMIT_CPU for the next run: the soft limit is set to the CPU time used so far plus the run's budget, so a run
/// that burns CPU past its wall-clock limit gets SIGXCPU from the kernel even if the portal's kill were late.
/// </summary>
internal static partial class CpuLimit
{
    private const int RlimitCpu = 0;

    public static void AllowFor(double seconds)
    {
        if (!OperatingSystem.IsLinux()) return;
        if (getrlimit(RlimitCpu, out var current) != 0) return;
        using var self = System.Diagnostics.Process.GetCurrentProcess();
        var used = (ulong)Math.Ceiling(self.TotalProcessorTime.TotalSeconds);
        var soft = used + (ulong)Math.Ceiling(seconds);
        if (soft > current.Max) soft = current.Max;
        var limit = new Rlimit { Current = soft, Max = current.Max };
        _ = setrlimit(RlimitCpu, ref limit);
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct Rlimit
    {
        public ulong Current;
        public ulong Max;
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int getrlimit(int resource, out Rlimit limit);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int setrlimit(int resource, ref Rlimit limit);
}
