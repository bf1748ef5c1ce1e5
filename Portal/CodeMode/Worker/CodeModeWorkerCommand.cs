using System.CommandLine;

namespace ShadowMcp.Portal.CodeMode.Worker;

/// <summary>`shadowmcp codemode-worker`: hidden; the portal starts it with pipes on stdin and stdout.</summary>
public static class CodeModeWorkerCommand
{
    public static Command Create()
    {
        var command = new Command(CodeModeWorker.CommandName, "Runs code-mode scripts for the portal (internal)") { Hidden = true };
        command.SetAction((_, _) => CodeModeWorker.RunAsync(Console.OpenStandardInput(), Console.OpenStandardOutput()));
        return command;
    }
}
