using ShadowMcp.Hosts.Verdicts;

namespace ShadowMcp.Hosts.Tests;

public sealed class VersionRangeTests
{
    [TestCase("^1.2.3", "1.9.0", true)]
    [TestCase("^1.2.3", "2.0.0", false)]
    [TestCase("^1.2.3", "1.2.2", false)]
    [TestCase("^0.3.1", "0.3.9", true)]
    [TestCase("^0.3.1", "0.4.0", false)]
    [TestCase("~1.2.0", "1.2.7", true)]
    [TestCase("~1.2.0", "1.3.0", false)]
    [TestCase(">=2025.1 <2026", "2025.4.7", true)]
    [TestCase(">=2025.1 <2026", "2026.0.1", false)]
    [TestCase("1.x", "1.44.0", true)]
    [TestCase("1.x", "2.0.0", false)]
    [TestCase("1.0.0 || ^3", "3.1.0", true)]
    [TestCase("=1.0.0", "1.0.0-rc1", false)]
    [TestCase("v0.9.0", "0.9.0", true)]
    [TestCase("sha256:abc", "sha256:abc", true)]
    [TestCase("sha256:abc", "sha256:abd", false)]
    [TestCase("*", "anything", true)]
    public void Contains(string range, string version, bool expected) =>
        Assert.That(VersionRange.Parse(range).Contains(version), Is.EqualTo(expected));

    [Test]
    public void SanctionedPackage_UnknownEcosystem_IsAClearError() =>
        Assert.That(() => SanctionedPackage.Parse("cargo:x", null, null), Throws.TypeOf<FormatException>().With.Message.Contains("unknown ecosystem 'cargo'"));
}
