using System.CommandLine;
using ShadowMcp.Enforcer.Cli;

// A test build of `shadowmcp enforce`: with SHADOWMCP_TEST_PAUSE_AT=STEP (e.g. "committed:nftables") it stops
// at that step of a backend change, writes the step name to SHADOWMCP_TEST_READY and waits to be killed.
var pauseAt = Environment.GetEnvironmentVariable("SHADOWMCP_TEST_PAUSE_AT");
var ready = Environment.GetEnvironmentVariable("SHADOWMCP_TEST_READY");
Action<string>? step = pauseAt is null || ready is null ? null : name =>
{
    if (name != pauseAt) return;
    File.WriteAllText(ready, name);
    Thread.Sleep(Timeout.Infinite);
};
var root = new RootCommand("enforce host for crash tests") { EnforceCommands.Create(TimeProvider.System, step) };
return await root.Parse(args).InvokeAsync();
