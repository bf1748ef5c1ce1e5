namespace ShadowMcp.Scanner.Reassembly;

/// <summary>An out-of-order TCP segment held until the bytes before it arrive. The buffer is pooled.</summary>
internal readonly record struct PendingSegment(uint Sequence, byte[] Buffer, int Length);
