using ShadowMcp.Tests;
using ShadowMcp.Enforcer.Backends;
using ShadowMcp.Enforcer.Tests.Support;

namespace ShadowMcp.Enforcer.Tests.Backends;

/// <summary>The "not installed" message names packages that exist in the Debian archive, not guesses.</summary>
[Category("Integration")]
public sealed class ToolPackageTests
{
    [Test]
    public void MissingToolMessages_NameRealDebianPackages()
    {
        ExternalTools.Require("a Debian system (apt)", "apt-cache");
        if (Sh.Run("apt-cache", "show", "--no-all-versions", "coreutils").Code != 0)
            ExternalTools.Missing("the apt package lists", "apt-get update");

        var missing = ToolRunner.Packages.Values.Distinct()
            .Where(p => Sh.Run("apt-cache", "show", "--no-all-versions", p).Code != 0).ToList();

        Assert.That(missing, Is.Empty, "not in the archive");
    }
}
