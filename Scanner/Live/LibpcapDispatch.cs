using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using SharpPcap.LibPcap;
using ShadowMcp.Scanner.Capture;

namespace ShadowMcp.Scanner.Live;

/// <summary>
/// Reads a live capture with <c>pcap_dispatch</c>: every packet the kernel has handed over (a whole TPACKET_V3 block)
/// in one call, each passed to the packet path as a span over libpcap's own buffer, and one <c>poll(2)</c> only when
/// nothing is ready. SharpPcap's <c>GetNextPacket</c> costs, per packet, a <c>pollfd[]</c>, a <c>poll</c> system call
/// and a copy of the packet into a new array: the sensor's ceiling on a busy link. 64-bit Linux only (the layout of
/// <c>struct pcap_pkthdr</c> is fixed here); elsewhere <see cref="TryOpen"/> returns null and the caller reads with
/// SharpPcap.
/// </summary>
internal sealed unsafe partial class LibpcapDispatch : IDisposable
{
    private static readonly nint DispatchFunction = Export("pcap_dispatch");
    private static readonly nint SelectableFdFunction = Export("pcap_get_selectable_fd");

    private readonly PcapDevice _device;
    private readonly nint _pcap;
    private readonly int _fd;
    private readonly CallbackState _state;
    private GCHandle _stateHandle;
    private bool _addedRef;

    private LibpcapDispatch(PcapDevice device, IFrameSink sink, int linkType)
    {
        _device = device;
        device.Handle.DangerousAddRef(ref _addedRef);
        _pcap = device.Handle.DangerousGetHandle();
        _fd = ((delegate* unmanaged[Cdecl]<nint, int>)SelectableFdFunction)(_pcap);
        _state = new CallbackState(sink, linkType);
        _stateHandle = GCHandle.Alloc(_state);
    }

    /// <summary>A reader for <paramref name="device"/> (open, non-blocking), or null where this path does not apply.</summary>
    public static LibpcapDispatch? TryOpen(PcapDevice device, IFrameSink sink, int linkType)
    {
        if (!OperatingSystem.IsLinux() || IntPtr.Size != 8 || DispatchFunction == 0 || SelectableFdFunction == 0) return null;
        var reader = new LibpcapDispatch(device, sink, linkType);
        if (reader._fd >= 0) return reader;
        reader.Dispose();
        return null;
    }

    /// <summary>Hands every packet that is ready to the packet path.</summary>
    /// <returns>Packets read (0: none ready).</returns>
    /// <exception cref="LiveCaptureException">libpcap failed.</exception>
    public int ReadReady()
    {
        var count = ((delegate* unmanaged[Cdecl]<nint, int, delegate* unmanaged[Cdecl]<nint, PacketHeader*, byte*, void>, nint, int>)
            DispatchFunction)(_pcap, -1, &OnPacket, GCHandle.ToIntPtr(_stateHandle));
        // The packet path threw inside libpcap's loop: it stopped taking packets there; rethrow on this side of it.
        if (_state.Fault is { } fault)
        {
            _state.Fault = null;
            ExceptionDispatchInfo.Throw(fault);
        }
        if (count < 0) throw new LiveCaptureException($"capture failed: {_device.LastError}");
        return count;
    }

    /// <summary>Waits until the kernel has packets for us, or <paramref name="timeoutMs"/> passed.</summary>
    public void WaitForPackets(int timeoutMs)
    {
        var poll = new PollFd { Fd = _fd, Events = PollIn };
        // EINTR (a signal) and timeouts both just return: the caller checks its stop token and reads again.
        _ = Poll(&poll, 1, timeoutMs);
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void OnPacket(nint user, PacketHeader* header, byte* data)
    {
        var state = (CallbackState)GCHandle.FromIntPtr(user).Target!;
        // An exception must not cross into C: keep the first, skip the rest of this block, rethrow after the call.
        if (state.Fault is not null) return;
        try
        {
            var time = DateTime.UnixEpoch.AddTicks(header->Seconds * TimeSpan.TicksPerSecond + header->Microseconds * 10);
            state.Sink.OnFrame(new ReadOnlySpan<byte>(data, (int)header->CapturedLength), state.LinkType, time);
        }
        catch (Exception ex)
        {
            state.Fault = ex;
        }
    }

    public void Dispose()
    {
        if (_stateHandle.IsAllocated) _stateHandle.Free();
        if (_addedRef)
        {
            _device.Handle.DangerousRelease();
            _addedRef = false;
        }
    }

    private sealed class CallbackState(IFrameSink sink, int linkType)
    {
        public IFrameSink Sink { get; } = sink;
        public int LinkType { get; } = linkType;
        public Exception? Fault { get; set; }
    }

    // struct pcap_pkthdr on 64-bit Linux: struct timeval (two longs), then caplen and len.
    [StructLayout(LayoutKind.Sequential)]
    private struct PacketHeader
    {
        public long Seconds;
        public long Microseconds;
        public uint CapturedLength;
        public uint Length;
    }

    private const short PollIn = 0x0001;

    [StructLayout(LayoutKind.Sequential)]
    private struct PollFd
    {
        public int Fd;
        public short Events;
        public short Returned;
    }

    [LibraryImport("libc", EntryPoint = "poll")]
    private static partial int Poll(PollFd* fds, nuint count, int timeoutMs);

    private static nint Export(string name)
    {
        foreach (var library in new[] { "libpcap.so.1", "libpcap.so.0.8", "libpcap.so", "libpcap.so.0" })
            if (NativeLibrary.TryLoad(library, out var handle) && NativeLibrary.TryGetExport(handle, name, out var address))
                return address;
        return 0;
    }
}
