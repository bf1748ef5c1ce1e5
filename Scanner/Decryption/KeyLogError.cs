namespace ShadowMcp.Scanner.Decryption;

/// <summary>A key-log line that was not understood: which file, which line (1-based), and why.</summary>
public sealed record KeyLogError(string File, long Line, string Reason)
{
    public override string ToString() => $"{File}:{Line}: {Reason}";
}
