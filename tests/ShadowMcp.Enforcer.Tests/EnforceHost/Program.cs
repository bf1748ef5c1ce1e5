using System.CommandLine;
using ShadowMcp.Enforcer.Cli;

var root = new RootCommand("enforce host for crash tests") { EnforceCommands.Create() };
return await root.Parse(args).InvokeAsync();
