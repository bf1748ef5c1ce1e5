namespace ShadowMcp.Core.Reading;

/// <summary>
/// One live capture session (a sensor run on one interface) with libpcap's counters at its last flush: what the
/// kernel received for the capture, what it dropped because the sensor read too slowly, what the interface dropped.
/// </summary>
public sealed record CaptureSession(string Source, DateTime LastFlush, long Packets, long Received, long Dropped, long InterfaceDropped);
