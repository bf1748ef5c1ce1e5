namespace ShadowMcp.Scanner.Live;

/// <summary>
/// libpcap's own counters since the interface was opened: packets the kernel received for this capture, packets it
/// dropped because the buffer was full (the sensor read too slowly), and packets the interface or driver dropped.
/// </summary>
public readonly record struct CaptureCounters(long Received, long Dropped, long InterfaceDropped)
{
    public override string ToString() =>
        $"kernel received {Received:N0}, dropped {Dropped:N0}, interface dropped {InterfaceDropped:N0}";
}
