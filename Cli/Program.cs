using System.CommandLine;
using ShadowMcp.Cli.Commands;
using ShadowMcp.Enforcer.Cli;
using ShadowMcp.Portal.Cli;
using ShadowMcp.Portal.CodeMode.Worker;
using ShadowMcp.Reports.Cli;

var root = new RootCommand("ShadowMcp: find, classify and block shadow MCP servers; run the governed MCP portal")
{
    ScanCommand.Create(),
    SensorCommand.Create(),
    ProbeCommand.Create(),
    ServeCommand.Create(),
    RulesCommand.Create(),
    IntelCommand.Create(),
    ShapeCommand.Create(),
    ReportCommands.Create(ReportInputs.AddTo),
    EnforceCommands.Create(),
    HostCommand.Create(),
    ExportCommand.Create(),
    CodeModeWorkerCommand.Create(),
};
foreach (var command in PortalCommands.Create()) root.Subcommands.Add(command);
var parsed = root.Parse(args);
// The portal under server GC (Hosting/ServerGcRelaunch); `serve` decides once it has read its settings.
if (parsed.Errors.Count == 0 && parsed.CommandResult.Command.Name == "portal") ShadowMcp.Cli.Hosting.ServerGcRelaunch.Now(Console.Error);
// Ctrl+C / SIGTERM cancel the running command; give a sensor or serve time to flush findings to the store.
var code = await parsed.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromSeconds(30) });
// System.CommandLine answers a parse error with 1, which is "--fail-on matched" here: a typo in a pipeline must
// not read as "shadow MCP found". Parse errors are usage errors.
return parsed.Errors.Count > 0 ? (int)ShadowMcp.Core.ExitCode.Usage : code;
