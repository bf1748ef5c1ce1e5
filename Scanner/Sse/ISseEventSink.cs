namespace ShadowMcp.Scanner.Sse;

/// <summary>Receives each complete Server-Sent Event from an <see cref="SseFramer"/>.</summary>
internal interface ISseEventSink
{
    /// <param name="data">The data lines joined with \n; valid only during the call.</param>
    void OnEvent(string eventType, ReadOnlySpan<byte> data, string? id, string? retry, DateTime time);
}
