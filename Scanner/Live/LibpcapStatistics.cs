using System.Runtime.InteropServices;
using SharpPcap.LibPcap;

namespace ShadowMcp.Scanner.Live;

/// <summary>
/// libpcap's counters read with the C layout of <c>struct pcap_stat</c> (three <c>u_int</c>). SharpPcap 6.3 declares
/// them pointer-sized, so on 64-bit Unix its "dropped" is really <c>ps_ifdrop</c> and the kernel's drops are cut off
/// the top of "received": a sensor that lost most of its packets reported none dropped.
/// </summary>
internal static class LibpcapStatistics
{
    [StructLayout(LayoutKind.Sequential)]
    private struct PcapStat
    {
        public uint Received;
        public uint Dropped;
        public uint InterfaceDropped;
    }

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate int PcapStats(IntPtr pcap, out PcapStat stat);

    private static readonly Lazy<PcapStats?> Function = new(Load);

    /// <summary>The counters, or null when libpcap cannot give them (not loaded, or this capture type has none).</summary>
    public static CaptureCounters? Read(PcapDevice device)
    {
        var stats = Function.Value;
        if (stats is null) return null;
        var handle = device.Handle;
        var added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            if (stats(handle.DangerousGetHandle(), out var stat) != 0) return null;
            return new CaptureCounters(stat.Received, stat.Dropped, stat.InterfaceDropped);
        }
        catch (ObjectDisposedException)
        {
            return null;
        }
        finally
        {
            if (added) handle.DangerousRelease();
        }
    }

    private static PcapStats? Load()
    {
        foreach (var name in new[] { "libpcap.so.1", "libpcap.so.0.8", "libpcap.so", "libpcap.so.0", "libpcap.dylib", "wpcap" })
        {
            if (!NativeLibrary.TryLoad(name, out var library)) continue;
            if (NativeLibrary.TryGetExport(library, "pcap_stats", out var address))
                return Marshal.GetDelegateForFunctionPointer<PcapStats>(address);
        }
        return null;
    }
}
