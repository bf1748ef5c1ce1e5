using ShadowMcp.Scanner.Decryption;

namespace ShadowMcp.Scanner.Tls;

/// <summary>One direction of a TLS connection: its record framing, handshake messages and current keys.</summary>
internal sealed class TlsSide(bool fromClient, int maxHandshakeBody)
{
    public bool FromClient { get; } = fromClient;
    public TlsRecordStream Records { get; } = new(fromClient);
    public TlsHandshakeAssembler Handshake { get; } = new(maxHandshakeBody);

    /// <summary>Records from here on are protected (after ChangeCipherSpec in TLS 1.2, after ServerHello in 1.3).</summary>
    public bool Encrypted { get; set; }
    public TlsRecordDecryptor? Decryptor { get; private set; }
    /// <summary>The TLS 1.3 traffic secret in use, for KeyUpdate.</summary>
    public byte[]? TrafficSecret { get; private set; }
    public bool Decrypting => Decryptor is not null;

    // A record decryptor's key schedule and cipher objects, roughly.
    private const int DecryptorBytes = 512;

    /// <summary>Heap bytes this direction holds now: record and handshake buffers and the decryptor.</summary>
    public int HeldBytes => Records.HeldBytes + Handshake.HeldBytes + (Decrypting ? DecryptorBytes : 0);
    public int Shapes { get; set; }

    /// <summary>Keys change at the next record boundary (TLS 1.3 Finished or KeyUpdate seen in this record).</summary>
    public bool PendingSwitch { get; set; }
    public byte[]? PendingSecret { get; set; }

    public void UseKeys(TlsRecordDecryptor decryptor, byte[]? trafficSecret)
    {
        Decryptor?.Dispose();
        Decryptor = decryptor;
        TrafficSecret = trafficSecret;
    }

    public void ApplyPendingKeys(TlsCipherSuite suite)
    {
        if (!PendingSwitch) return;
        PendingSwitch = false;
        if (PendingSecret is { } secret) UseKeys(TlsRecordDecryptor.ForTls13(suite, secret), secret);
        else StopDecrypting(); // the key log lacks this traffic secret
        PendingSecret = null;
    }

    public void StopDecrypting()
    {
        Decryptor?.Dispose();
        Decryptor = null;
        TrafficSecret = null;
    }

    public void Release()
    {
        Records.Stop();
        Handshake.Release();
        StopDecrypting();
    }
}
