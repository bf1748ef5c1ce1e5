using ShadowMcp.Scanner.Http;

namespace ShadowMcp.Scanner.Tests.Http;

/// <summary>Host normalisation (now on spans and through the shared string table) gives what the finding's host shows.</summary>
public class HttpTargetTests
{
    [TestCase("10.0.0.5:8123", "10.0.0.5")]
    [TestCase(" Tools.Corp.Example. ", "tools.corp.example")]
    [TestCase("user:pw@MCP.example.com:443", "mcp.example.com")]
    [TestCase("[::1]:8080", "::1")]
    [TestCase("[fe80::1", "fe80::1")]
    [TestCase("::1", "::1")]
    [TestCase("ÉCOLE.example:80", "école.example")]
    [TestCase("", "")]
    [TestCase(":80", "")]
    public void NormalizeHost_GivesLowerCaseNameWithoutPortOrBrackets(string header, string expected) =>
        Assert.That(HttpTarget.NormalizeHost(header), Is.EqualTo(expected));

    [Test]
    public void NormalizeHost_LongName_IsNormalisedWhole()
    {
        var name = string.Concat(Enumerable.Repeat("Label.", 30)) + "Example";
        Assert.That(HttpTarget.NormalizeHost(name + ":8443"), Is.EqualTo(name.ToLowerInvariant()));
    }

    [Test]
    public void NormalizeHost_SameHostAgain_MakesNoNewString()
    {
        var first = HttpTarget.NormalizeHost("10.9.8.7:8123");
        var before = GC.GetAllocatedBytesForCurrentThread();
        var again = HttpTarget.NormalizeHost("10.9.8.7:8123");
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.That(again, Is.SameAs(first));
        Assert.That(allocated, Is.Zero);
    }
}
