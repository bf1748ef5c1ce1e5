namespace ShadowMcp.Scanner.Capture;

/// <summary>The outcome of scanning one capture file. Observations emitted before an error are kept by the caller.</summary>
public sealed record ScanResult(string File, ScanStatus Status, ScanError? Error)
{
    public bool Completed => Status == ScanStatus.Completed;
}
