namespace ShadowMcp.Scanner.Capture;

public enum ScanStatus
{
    /// <summary>Every frame of the file was read.</summary>
    Completed,
    /// <summary>Reading stopped at an error; what came before it was analysed and flushed.</summary>
    Failed,
    /// <summary>The caller cancelled; what came before was analysed and flushed.</summary>
    Canceled,
}
