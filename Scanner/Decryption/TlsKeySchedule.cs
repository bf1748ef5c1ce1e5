using System.Security.Cryptography;
using System.Text;

namespace ShadowMcp.Scanner.Decryption;

/// <summary>Key derivation: the TLS 1.2 PRF (RFC 5246 5) and TLS 1.3 HKDF-Expand-Label (RFC 8446 7.1).</summary>
internal static class TlsKeySchedule
{
    /// <summary>P_hash(secret, label + seed) truncated to <paramref name="length"/> bytes.</summary>
    public static byte[] Prf12(HashAlgorithmName hash, byte[] secret, string label, ReadOnlySpan<byte> seed, int length)
    {
        byte[] labelSeed = [.. Encoding.ASCII.GetBytes(label), .. seed];
        var output = new byte[length];
        byte[] a = labelSeed;
        int written = 0;
        while (written < length)
        {
            a = CryptographicOperations.HmacData(hash, secret.AsSpan(), a.AsSpan());
            byte[] input = [.. a, .. labelSeed];
            var block = CryptographicOperations.HmacData(hash, secret.AsSpan(), input.AsSpan());
            int take = Math.Min(block.Length, length - written);
            block.AsSpan(0, take).CopyTo(output.AsSpan(written));
            written += take;
        }
        return output;
    }

    public static byte[] ExpandLabel(HashAlgorithmName hash, byte[] secret, string label, int length)
    {
        var full = Encoding.ASCII.GetBytes("tls13 " + label);
        byte[] info = [(byte)(length >> 8), (byte)length, (byte)full.Length, .. full, 0];
        return HKDF.Expand(hash, secret, length, info);
    }

    /// <summary>The next application traffic secret after a KeyUpdate (RFC 8446 7.2).</summary>
    public static byte[] NextTrafficSecret(HashAlgorithmName hash, byte[] secret) =>
        ExpandLabel(hash, secret, "traffic upd", secret.Length);
}
