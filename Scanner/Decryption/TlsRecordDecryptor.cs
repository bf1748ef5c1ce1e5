using System.Buffers.Binary;
using System.Security.Cryptography;

namespace ShadowMcp.Scanner.Decryption;

/// <summary>
/// Opens the AEAD-protected records of one direction under one set of keys, counting the record sequence number:
/// TLS 1.2 AES-GCM (4-byte salt + 8-byte explicit nonce, RFC 5288), TLS 1.2 ChaCha20-Poly1305 (RFC 7905) and
/// TLS 1.3 (RFC 8446 5.2-5.3). A record that does not authenticate returns false and is not trusted.
/// </summary>
internal sealed class TlsRecordDecryptor : IDisposable
{
    public const int TagLength = 16;
    private const int ExplicitNonceLength = 8;

    private readonly AesGcm? _aes;
    private readonly ChaCha20Poly1305? _chacha;
    private readonly byte[] _iv;
    private readonly bool _tls13;
    private readonly bool _explicitNonce;
    private ulong _sequence;

    private TlsRecordDecryptor(TlsAeadKind kind, byte[] key, byte[] iv, bool tls13)
    {
        if (kind == TlsAeadKind.AesGcm) _aes = new AesGcm(key, TagLength);
        else _chacha = new ChaCha20Poly1305(key);
        _iv = iv;
        _tls13 = tls13;
        _explicitNonce = !tls13 && kind == TlsAeadKind.AesGcm;
    }

    /// <summary>TLS 1.3 keys from a traffic secret.</summary>
    public static TlsRecordDecryptor ForTls13(TlsCipherSuite suite, byte[] trafficSecret) => new(suite.Aead,
        TlsKeySchedule.ExpandLabel(suite.Hash, trafficSecret, "key", suite.KeyLength),
        TlsKeySchedule.ExpandLabel(suite.Hash, trafficSecret, "iv", 12), tls13: true);

    /// <summary>TLS 1.2 keys for one side from the master secret and both randoms.</summary>
    public static TlsRecordDecryptor ForTls12(TlsCipherSuite suite, byte[] masterSecret, ReadOnlySpan<byte> clientRandom,
        ReadOnlySpan<byte> serverRandom, bool client)
    {
        int ivLength = suite.Aead == TlsAeadKind.AesGcm ? 4 : 12;
        var block = TlsKeySchedule.Prf12(suite.Hash, masterSecret, "key expansion", [.. serverRandom, .. clientRandom],
            2 * (suite.KeyLength + ivLength));
        int k = suite.KeyLength;
        var key = client ? block[..k] : block[k..(2 * k)];
        var iv = client ? block[(2 * k)..(2 * k + ivLength)] : block[(2 * k + ivLength)..];
        return new TlsRecordDecryptor(suite.Aead, key, iv, tls13: false);
    }

    /// <summary>Decrypts a record body into <paramref name="plaintext"/>; false when it does not authenticate.</summary>
    public bool TryOpen(ReadOnlySpan<byte> header, ReadOnlySpan<byte> body, Span<byte> plaintext, out int written)
    {
        written = 0;
        int overhead = TagLength + (_explicitNonce ? ExplicitNonceLength : 0);
        if (body.Length < overhead) return false;
        int length = body.Length - overhead;
        Span<byte> nonce = stackalloc byte[12];
        Span<byte> aad = stackalloc byte[13];
        ReadOnlySpan<byte> cipher;
        if (_explicitNonce)
        {
            _iv.AsSpan(0, 4).CopyTo(nonce);
            body[..ExplicitNonceLength].CopyTo(nonce[4..]);
            cipher = body.Slice(ExplicitNonceLength, length);
        }
        else
        {
            _iv.CopyTo(nonce);
            Span<byte> sequence = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64BigEndian(sequence, _sequence);
            for (int i = 0; i < 8; i++) nonce[4 + i] ^= sequence[i];
            cipher = body[..length];
        }

        if (_tls13)
        {
            header[..5].CopyTo(aad);
            aad = aad[..5];
        }
        else
        {
            BinaryPrimitives.WriteUInt64BigEndian(aad, _sequence);
            aad[8] = header[0];
            aad[9] = header[1];
            aad[10] = header[2];
            BinaryPrimitives.WriteUInt16BigEndian(aad[11..], (ushort)length);
        }

        var tag = body[^TagLength..];
        var output = plaintext[..length];
        try
        {
            if (_aes is not null) _aes.Decrypt(nonce, cipher, tag, output, aad);
            else _chacha!.Decrypt(nonce, cipher, tag, output, aad);
        }
        catch (AuthenticationTagMismatchException)
        {
            return false;
        }
        _sequence++;
        written = length;
        return true;
    }

    public void Dispose()
    {
        _aes?.Dispose();
        _chacha?.Dispose();
    }
}
