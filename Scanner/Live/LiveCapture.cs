using SharpPcap;
using SharpPcap.LibPcap;
using ShadowMcp.Core.Observations;
using ShadowMcp.Scanner.Capture;
using ShadowMcp.Scanner.Reassembly;
using ShadowMcp.Scanner.Sessions;

namespace ShadowMcp.Scanner.Live;

/// <summary>
/// Captures from a live interface with libpcap (SharpPcap) and feeds the same per-packet path as file scans.
/// The read loop runs on the caller's thread, so analyzers and the observation sink see one thread, as with files.
/// </summary>
public sealed class LiveCapture(LiveCaptureOptions options, IAnalyzerFactory factory, ScanStats stats, ReassemblyOptions? reassembly = null)
{
    /// <summary>Interfaces libpcap can open here, with their descriptions.</summary>
    public static IReadOnlyList<(string Name, string? Description)> ListInterfaces()
    {
        try
        {
            return [.. LibPcapLiveDeviceList.Instance.Select(d => (d.Name, (string?)d.Description))];
        }
        catch (Exception ex) when (ex is DllNotFoundException or TypeInitializationException or PcapException)
        {
            throw MissingLibpcap(ex);
        }
    }

    /// <summary>
    /// Captures until <paramref name="ct"/> is cancelled. <paramref name="onIdle"/> runs between reads at most every
    /// <paramref name="idleInterval"/> on the capture thread (the place to snapshot findings without locking).
    /// </summary>
    public void Run(CancellationToken ct, TimeSpan idleInterval = default, Action? onIdle = null, Action<string>? onStarted = null)
    {
        var processor = new PacketProcessor(factory, stats, reassembly);
        Capture(options, Warnings, processor, idleInterval,
            onInterval: onIdle is null ? null : counters =>
            {
                Counters = counters;
                onIdle();
            },
            onStop: counters =>
            {
                processor.Finish();
                Counters = counters;
                Stopped = true;
                onIdle?.Invoke();
            },
            onQuiet: null, onStarted, ct);
    }

    /// <summary>
    /// The capture loop of every live capture, one thread or sharded: opens the interface, hands each frame to
    /// <paramref name="sink"/> until <paramref name="ct"/> is cancelled, then drains what the kernel still holds.
    /// <paramref name="onInterval"/> runs between reads at most every <paramref name="interval"/> and
    /// <paramref name="onStop"/> once at the end, each with libpcap's counters as of then; <paramref name="onQuiet"/>
    /// runs whenever a read found nothing ready, before waiting for more.
    /// </summary>
    /// <exception cref="LiveCaptureException">The interface cannot be opened or filtered, or reading failed.</exception>
    internal static void Capture(LiveCaptureOptions options, List<string> warnings, IFrameSink sink, TimeSpan interval,
        Action<CaptureCounters?>? onInterval, Action<CaptureCounters?> onStop, Action? onQuiet, Action<string>? onStarted,
        CancellationToken ct)
    {
        using var device = Open(options, warnings);
        onStarted?.Invoke(warnings.Count == 0 ? "" : string.Join("; ", warnings));
        int linkType = (int)device.LinkType;
        using var dispatch = LibpcapDispatch.TryOpen(device, sink, linkType);
        var read = dispatch is null ? new Func<int>(() => ReadOne(options, device, sink, linkType)) : dispatch.ReadReady;
        // Between reads that found nothing: poll the capture descriptor (SharpPcap's read polls by itself).
        Action poll = dispatch is null ? () => { } : () => dispatch.WaitForPackets(WaitMs);
        Action wait = onQuiet is null ? poll : () =>
        {
            onQuiet();
            poll();
        };
        var nextIdle = DateTime.UtcNow + interval;
        try
        {
            while (!ct.IsCancellationRequested)
            {
                if (read() == 0) wait();
                if (onInterval is not null && DateTime.UtcNow >= nextIdle)
                {
                    onInterval(ReadCounters(device));
                    nextIdle = DateTime.UtcNow + interval;
                }
            }

            Drain(options, read, wait);
        }
        finally
        {
            onStop(ReadCounters(device));
        }
    }

    // How long one wait for packets may last: a stop signal or a flush waits at most this long.
    private const int WaitMs = 200;

    /// <summary>The capture has stopped and every flow is closed: the <c>onIdle</c> call running now is the last.</summary>
    public bool Stopped { get; private set; }

    /// <summary>libpcap's counters as of the last interval (and, after <see cref="Run"/>, as of the stop).</summary>
    public CaptureCounters? Counters { get; private set; }

    /// <summary>One packet through SharpPcap (where <see cref="LibpcapDispatch"/> does not apply).</summary>
    /// <returns>Packets read: 1 or 0.</returns>
    private static int ReadOne(LiveCaptureOptions options, LibPcapLiveDevice device, IFrameSink sink, int linkType)
    {
        var status = device.GetNextPacket(out var capture);
        if (status == GetPacketStatus.Error)
            throw new LiveCaptureException($"{options.Interface}: capture failed: {device.LastError}");
        if (status != GetPacketStatus.PacketRead) return 0;
        sink.OnFrame(capture.Data, linkType, capture.Header.Timeval.Date.ToUniversalTime());
        return 1;
    }

    /// <summary>
    /// On stop, reads what the kernel already holds, so a session seen just before the signal is not lost. The last
    /// ring block is handed over only when its read timeout expires, so an empty read does not end the drain until
    /// no packet came for longer than that timeout. Bounded by the packets that fit the buffer and by a deadline,
    /// so a busy link cannot keep the sensor from stopping.
    /// </summary>
    private static void Drain(LiveCaptureOptions options, Func<int> read, Action wait)
    {
        long limit = Math.Max(1, options.KernelBufferBytes / 64);
        var quiet = TimeSpan.FromMilliseconds(options.ReadTimeoutMs + 100);
        var deadline = DateTime.UtcNow + quiet * 5;
        var lastPacket = DateTime.UtcNow;
        for (long total = 0; total < limit;)
        {
            var n = read();
            var now = DateTime.UtcNow;
            if (n > 0) { total += n; lastPacket = now; continue; }
            if (now - lastPacket > quiet || now > deadline) break;
            wait();
        }
    }

    // Not SharpPcap's Statistics: its struct layout is wrong on 64-bit Unix and always shows 0 dropped.
    private static CaptureCounters? ReadCounters(LibPcapLiveDevice device) => LibpcapStatistics.Read(device);

    /// <summary>Settings the platform refused (e.g. a kernel buffer size); capture goes on without them.</summary>
    public List<string> Warnings { get; } = [];

    private static LibPcapLiveDevice Open(LiveCaptureOptions options, List<string> warnings)
    {
        LibPcapLiveDevice? device;
        try
        {
            device = LibPcapLiveDeviceList.Instance.FirstOrDefault(d => d.Name == options.Interface);
        }
        catch (Exception ex) when (ex is DllNotFoundException or TypeInitializationException or PcapException)
        {
            throw MissingLibpcap(ex);
        }
        if (device is null)
        {
            var names = string.Join(", ", LibPcapLiveDeviceList.Instance.Select(d => d.Name));
            throw new LiveCaptureException($"{options.Interface}: no such capture interface (available: {names})");
        }
        try
        {
            var configuration = new DeviceConfiguration
            {
                Mode = options.Promiscuous ? DeviceModes.Promiscuous : DeviceModes.None,
                Snaplen = options.Snaplen,
                ReadTimeout = options.ReadTimeoutMs,
                // libpcap takes the buffer size only before activation (pcap_set_buffer_size); SharpPcap's
                // KernelBufferSize is pcap_setbuff, which exists on Windows only and fails elsewhere with no reason.
                BufferSize = options.KernelBufferBytes,
                // Not immediate mode: libpcap then falls back from TPACKET_V3 to V2, whose ring has one fixed slot
                // per packet sized for the snap length, so 64 MB holds about a thousand packets and a short stall
                // drops the rest. V3 packs packets into blocks that the kernel hands over when full or after the
                // read timeout, which bounds the delay.
                Immediate = false,
            };
            if (OperatingSystem.IsWindows()) configuration.KernelBufferSize = options.KernelBufferBytes;
            // Optional tuning a platform does not support is a warning, not a reason to capture nothing.
            configuration.ConfigurationFailed += (_, e) =>
                warnings.Add(ConfigurationWarning(e.Property, e.Error, e.Message));
            device.Open(configuration);
        }
        catch (PcapException ex)
        {
            throw new LiveCaptureException($"{options.Interface}: cannot open for capture ({ex.Message}); capturing needs root or CAP_NET_RAW", ex);
        }
        try
        {
            // libpcap 1.10 on Linux can stay inside pcap_next_ex, polling its ring, after traffic stops: the read
            // timeout then never returns, so no flush runs and a stop signal is not seen. Non-blocking reads
            // return at once; SharpPcap's own poll of the capture descriptor (at most 500 ms) does the waiting.
            device.NonBlockingMode = true;
        }
        catch (PcapException ex)
        {
            warnings.Add(ConfigurationWarning("NonBlockingMode", PcapError.Generic, ex.Message));
        }
        try
        {
            if (!string.IsNullOrWhiteSpace(options.Filter)) device.Filter = options.Filter;
        }
        catch (PcapException ex)
        {
            device.Dispose();
            throw new LiveCaptureException($"{options.Interface}: bad capture filter '{options.Filter}': {ex.Message}", ex);
        }
        return device;
    }

    /// <summary>
    /// One setting the platform refused, with a reason that is never empty: SharpPcap reports some failures (the
    /// Windows-only pcap_setbuff elsewhere) with no message, and then the libpcap error code is the reason.
    /// </summary>
    internal static string ConfigurationWarning(string? property, PcapError error, string? message) =>
        $"{(string.IsNullOrWhiteSpace(property) ? "setting" : property)}: "
        + (string.IsNullOrWhiteSpace(message) ? $"libpcap error {error} ({(int)error})" : message.Trim());

    private static LiveCaptureException MissingLibpcap(Exception ex) =>
        new("libpcap is not available: install it (Debian/Ubuntu: apt-get install libpcap0.8)", ex);
}
