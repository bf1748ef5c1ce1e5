using System.Text;
using ShadowMcp.Cli.Hosting;

namespace ShadowMcp.Cli.Tests;

/// <summary>The argv `serve` and `portal` restart themselves with: the one they were started with, to the byte.</summary>
public sealed class ServerGcRelaunchArgumentsTests
{
    [Test]
    public void Arguments_EmptyLastArgument_IsKept()
    {
        // `shadowmcp portal --urls ""`: /proc/self/cmdline ends "...--urls\0\0".
        var cmdline = Encoding.UTF8.GetBytes("dotnet\0shadowmcp.dll\0portal\0--urls\0\0");

        Assert.That(ServerGcRelaunch.Arguments(cmdline), Is.EqualTo(new[] { "dotnet", "shadowmcp.dll", "portal", "--urls", "" }));
    }

    [Test]
    public void Arguments_EmptyArgumentsInTheMiddle_AreKept()
    {
        var cmdline = Encoding.UTF8.GetBytes("shadowmcp\0serve\0\0--db\0a b.db\0");

        Assert.That(ServerGcRelaunch.Arguments(cmdline), Is.EqualTo(new[] { "shadowmcp", "serve", "", "--db", "a b.db" }));
    }
}
