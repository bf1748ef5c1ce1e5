using System.CommandLine;
using ShadowMcp.Cli.Commands;

var root = new RootCommand("ShadowMcp: find, classify and block shadow MCP servers; run the governed MCP portal")
{
    ScanCommand.Create(),
    RulesCommand.Create(),
};
return await root.Parse(args).InvokeAsync();
