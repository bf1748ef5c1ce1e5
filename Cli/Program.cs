using System.CommandLine;
using ShadowMcp.Cli.Commands;
using ShadowMcp.Enforcer.Cli;
using ShadowMcp.Portal.Cli;
using ShadowMcp.Reports.Cli;

var root = new RootCommand("ShadowMcp: find, classify and block shadow MCP servers; run the governed MCP portal")
{
    ScanCommand.Create(),
    SensorCommand.Create(),
    ProbeCommand.Create(),
    ServeCommand.Create(),
    RulesCommand.Create(),
    ReportCommands.Create(),
    EnforceCommands.Create(),
};
foreach (var command in PortalCommands.Create()) root.Subcommands.Add(command);
// Ctrl+C / SIGTERM cancel the running command; give a sensor or serve time to flush findings to the store.
return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromSeconds(30) });
