using ShadowMcp.Enforcer.Backends;
using ShadowMcp.Enforcer.Tests.Support;

namespace ShadowMcp.Enforcer.Tests.Backends;

/// <summary>The "not installed" message names packages that exist in the Debian archive, not guesses.</summary>
public sealed class ToolPackageTests
{
    [Test]
    public void MissingToolMessages_NameRealDebianPackages()
    {
        if (!Sh.Has("apt-cache")) Assert.Inconclusive("not a Debian system: apt-cache is missing");
        if (Sh.Run("apt-cache", "show", "--no-all-versions", "coreutils").Code != 0)
            Assert.Inconclusive("the apt package lists are empty: run apt-get update");

        var missing = ToolRunner.Packages.Values.Distinct()
            .Where(p => Sh.Run("apt-cache", "show", "--no-all-versions", p).Code != 0).ToList();

        Assert.That(missing, Is.Empty, "not in the archive");
    }
}
