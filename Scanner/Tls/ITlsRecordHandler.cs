namespace ShadowMcp.Scanner.Tls;

/// <summary>Receives the records one direction's <see cref="TlsRecordStream"/> frames.</summary>
internal interface ITlsRecordHandler
{
    /// <summary>Whether the body of this record is needed (handshake, or data there are keys for); else it is skipped.</summary>
    bool WantsBody(bool fromClient, byte type, int length);

    /// <summary>A whole record: its 5-byte header and, when asked for, its body (empty otherwise).</summary>
    void OnRecord(bool fromClient, ReadOnlySpan<byte> header, ReadOnlySpan<byte> body, bool bodyKept, DateTime time);
}
