using ShadowMcp.Scanner.Tls;

namespace ShadowMcp.Scanner.Tests.Tls;

/// <summary>JA4 and JA4S against the published examples of the FoxIO specification (technical_details/JA4.md, JA4S.md).</summary>
public class Ja4Tests
{
    // JA4.md "Cipher hash" and "Extension hash": the example's lists in wire order, here with GREASE added.
    private static readonly int[] SpecCiphers =
        [0x0A0A, 0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f, 0xc02c, 0xc030, 0xcca9, 0xcca8, 0xc013, 0xc014, 0x009c, 0x009d, 0x002f, 0x0035];
    private static readonly int[] SpecExtensions =
        [0x3A3A, 0x001b, 0x0000, 0x0033, 0x0010, 0x4469, 0x0017, 0x002d, 0x000d, 0x0005, 0x0023, 0x0012, 0x002b, 0xff01, 0x000b, 0x000a, 0x0015];
    private static readonly int[] SpecSignatureAlgorithms = [0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601];

    [Test]
    public void Client_SpecificationExample_GivesThePublishedFingerprint()
    {
        var bytes = HandshakeBytes.ClientHello(SpecCiphers, SpecExtensions, "example.com", ["h2", "http/1.1"],
            SpecSignatureAlgorithms, [0x5A5A, 0x0304, 0x0303]);
        var hello = ClientHelloParser.Parse(bytes.AsSpan(4))!;

        Assert.That(Ja4.Client(hello), Is.EqualTo("t13d1516h2_8daaf6152771_e5627efa2ab1"));
    }

    [Test]
    public void Client_NoSignatureAlgorithms_HashesTheExtensionsAlone()
    {
        // JA4.md: "0005,000a,...,4469,ff01 = 6d807ffa2a79" when the hello has no signature algorithms.
        var bytes = HandshakeBytes.ClientHello(SpecCiphers, SpecExtensions, "example.com", ["h2"], [], [0x0304]);

        Assert.That(Ja4.Client(ClientHelloParser.Parse(bytes.AsSpan(4))!), Does.EndWith("_6d807ffa2a79"));
    }

    [Test]
    public void Client_NoSniNoAlpnNoSupportedVersions_UsesIpLegacyVersionAndZeros()
    {
        var bytes = HandshakeBytes.ClientHello([0xc02f], [0x000a], null, [], [], []);

        Assert.That(Ja4.Client(ClientHelloParser.Parse(bytes.AsSpan(4))!), Does.StartWith("t12i010100_"));
    }

    [Test]
    public void Client_NoCiphersNoExtensions_UsesTwelveZeros()
    {
        var bytes = HandshakeBytes.ClientHello([], [], null, [], [], []);

        Assert.That(Ja4.Client(ClientHelloParser.Parse(bytes.AsSpan(4))!), Is.EqualTo("t12i000000_000000000000_000000000000"));
    }

    [Test]
    public void Server_SpecificationExample_GivesThePublishedFingerprint()
    {
        // JA4S.md: TLS 1.2, cipher c030, extensions 0005,0017,ff01,0000, no ALPN.
        var bytes = HandshakeBytes.ServerHello(0x0303, 0xc030, [0x0005, 0x0017, 0xff01, 0x0000]);

        Assert.That(Ja4.Server(ServerHelloParser.Parse(bytes.AsSpan(4))!), Is.EqualTo("t120400_c030_4e8089b08790"));
    }

    [Test]
    public void Server_Tls13WithAlpn_UsesSupportedVersionsAndTheChosenProtocol()
    {
        var bytes = HandshakeBytes.ServerHello(0x0303, 0x1301, [0x002b, 0x0033, 0x0010], alpn: "h2");

        Assert.That(Ja4.Server(ServerHelloParser.Parse(bytes.AsSpan(4))!),
            Is.EqualTo("t1303h2_1301_" + Ja4.Hash12("002b,0033,0010")));
    }

    [TestCase(new byte[] { 0xAB }, "ab")]
    [TestCase(new byte[] { 0xAB, 0xCD }, "ad")]
    [TestCase(new byte[] { 0x30, 0xAB }, "3b")]
    [TestCase(new byte[] { 0x30, 0x31, 0xAB, 0xCD }, "3d")]
    [TestCase(new byte[] { 0x30, 0xAB, 0xCD, 0x31 }, "01")]
    [TestCase(new byte[] { (byte)'h', (byte)'t', (byte)'t', (byte)'p', (byte)'/', (byte)'1', (byte)'.', (byte)'1' }, "h1")]
    [TestCase(new byte[] { (byte)'x' }, "xx")]
    [TestCase(new byte[0], "00")]
    public void AlpnCode_SpecificationExamples(byte[] alpn, string expected) =>
        Assert.That(Ja4.AlpnCode(alpn), Is.EqualTo(expected));
}
