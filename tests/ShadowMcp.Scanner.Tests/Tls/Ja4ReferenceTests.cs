using ShadowMcp.Scanner.Tls;

namespace ShadowMcp.Scanner.Tests.Tls;

/// <summary>The stack-buffer JA4 and JA4S give exactly the first implementation's fingerprints, and a fingerprint
/// given again for another connection is the next hello's own, not the previous one's.</summary>
public class Ja4ReferenceTests
{
    private static readonly int[] Common = [0x0000, 0x0005, 0x000a, 0x000b, 0x000d, 0x0010, 0x0017, 0x0023, 0x002b, 0x0033, 0xff01, 0x1301, 0xc02b];

    [Test]
    public void Client_RandomHellos_EqualTheReference()
    {
        var random = new Random(17);
        for (var i = 0; i < 3000; i++)
        {
            var hello = new ClientHelloInfo
            {
                LegacyVersion = 0x0303,
                HighestVersion = random.Next(4) switch { 0 => 0x0304, 1 => 0x0303, 2 => 0x0301, _ => random.Next(0x10000) },
                Random = new byte[32], SessionId = [],
                CipherSuites = Values(random, random.Next(4) == 0 ? 0 : random.Next(1, 300)),
                Extensions = Values(random, random.Next(4) == 0 ? 0 : random.Next(1, 300)),
                // A hello may repeat signature_algorithms: more than the parser's 256 per list.
                SignatureAlgorithms = Values(random, random.Next(3) == 0 ? 0 : random.Next(1, 600)),
                Alpn = [], FirstAlpn = Alpn(random), SessionTicket = [],
            };
            Assert.That(Ja4.Client(hello), Is.EqualTo(Ja4Reference.Client(hello)), $"hello {i}");
        }
    }

    [Test]
    public void Server_RandomHellos_EqualTheReference()
    {
        var random = new Random(18);
        for (var i = 0; i < 3000; i++)
        {
            var hello = new ServerHelloInfo
            {
                Version = random.Next(3) switch { 0 => 0x0304, 1 => 0x0303, _ => random.Next(0x10000) },
                CipherSuite = random.Next(0x10000), Random = new byte[32], SessionId = [],
                Extensions = Values(random, random.Next(4) == 0 ? 0 : random.Next(1, 300)),
                AlpnRaw = Alpn(random),
            };
            Assert.That(Ja4.Server(hello), Is.EqualTo(Ja4Reference.Server(hello)), $"hello {i}");
        }
    }

    private static List<int> Values(Random random, int count)
    {
        var list = new List<int>(count);
        for (var i = 0; i < count; i++)
        {
            list.Add(random.Next(4) switch
            {
                0 => 0x0A0A + 0x1010 * random.Next(16), // GREASE
                1 => Common[random.Next(Common.Length)],
                _ => random.Next(0x10000),
            });
        }
        return list;
    }

    private static byte[]? Alpn(Random random)
    {
        if (random.Next(5) == 0) return null;
        var value = new byte[random.Next(0, 9)];
        random.NextBytes(value);
        if (random.Next(2) == 0) for (var i = 0; i < value.Length; i++) value[i] = (byte)"abcz09AZh2/1.-"[random.Next(14)];
        return value;
    }
}
