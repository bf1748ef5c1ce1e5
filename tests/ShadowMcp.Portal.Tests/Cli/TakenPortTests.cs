using System.CommandLine;
using System.Net;
using System.Net.Sockets;
using ShadowMcp.Core;
using ShadowMcp.Portal.Cli;
using ShadowMcp.Portal.Tests.Fixtures;

namespace ShadowMcp.Portal.Tests.Cli;

/// <summary>A port someone else holds ends `shadowmcp portal` with one line that says so, not a stack trace.</summary>
[Category("Integration")]
[NonParallelizable]
public sealed class TakenPortTests
{
    [Test]
    public void Portal_OnTakenPort_PrintsOneLineAndExits()
    {
        using var holder = new TcpListener(IPAddress.Loopback, 0);
        holder.Start();
        var port = ((IPEndPoint)holder.LocalEndpoint).Port;
        var dir = TempDir.Create();
        var config = Path.Combine(dir, "portal.json");
        File.WriteAllText(config, """{ "groups": {} }""");

        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var console = new StringWriter();
        var (oldOut, oldErr) = (Console.Out, Console.Error);
        Console.SetOut(console);
        Console.SetError(console);
        int code;
        try
        {
            var root = new RootCommand("test");
            foreach (var c in PortalCommands.Create(stdout, stderr)) root.Add(c);
            code = root.Parse(["portal", "--config", config, "--urls", $"http://127.0.0.1:{port}", "--db", Path.Combine(dir, "p.db")])
                .Invoke(new InvocationConfiguration { Output = stdout, Error = stderr });
        }
        finally
        {
            Console.SetOut(oldOut);
            Console.SetError(oldErr);
        }

        Assert.That(code, Is.EqualTo((int)ExitCode.Usage));
        var lines = stderr.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines, Has.Length.EqualTo(1));
        Assert.That(lines[0], Does.Contain("cannot listen").And.Contain(port.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.That(stderr + console.ToString() + stdout, Does.Not.Contain("   at ").And.Not.Contain("Exception"));
    }
}
