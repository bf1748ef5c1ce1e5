using Microsoft.Extensions.Options;
using ShadowMcp.Admin.Auth;

namespace ShadowMcp.Admin.Tests.Unit;

internal sealed class AdminTokenVerifierTests
{
    private const string Token = "0123456789abcdef-token";

    private static AdminTokenVerifier For(AdminOptions o) => new(Options.Create(o));

    [Test]
    public void Verify_ClearTokenAcceptsOnlyThatToken()
    {
        var v = For(new AdminOptions { AdminToken = Token });
        Assert.Multiple(() =>
        {
            Assert.That(v.IsConfigured, Is.True);
            Assert.That(v.Verify(Token), Is.True);
            Assert.That(v.Verify(Token + " "), Is.False);
            Assert.That(v.Verify(Token.AsSpan(0, Token.Length - 1)), Is.False);
            Assert.That(v.Verify(""), Is.False);
            Assert.That(v.Verify(Token.ToUpperInvariant()), Is.False);
        });
    }

    [Test]
    public void Verify_HashConfigurationAcceptsTheHashedToken()
    {
        var v = For(new AdminOptions { AdminTokenHash = AdminTokenVerifier.HashText(Token) });
        Assert.That(v.Verify(Token), Is.True);
        Assert.That(v.Verify("something-else-entirely"), Is.False);
    }

    [Test]
    public void Verify_NothingConfiguredRefusesEverything()
    {
        var v = For(new AdminOptions());
        Assert.That(v.IsConfigured, Is.False);
        Assert.That(v.Verify(""), Is.False);
        Assert.That(v.Verify(Token), Is.False);
    }

    [Test]
    public void HashText_IsSha256HexOfTheUtf8Token()
    {
        Assert.That(AdminTokenVerifier.HashText("abc"), Is.EqualTo("sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
    }

    [TestCase("sha256:zz")]
    [TestCase("md5:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")]
    [TestCase("sha256:ga7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")]
    public void TryParseHash_RejectsMalformedValues(string text) =>
        Assert.That(AdminTokenVerifier.TryParseHash(text, out _), Is.False);
}
