using System.CommandLine;
using ShadowMcp.Cli.Scanning;

namespace ShadowMcp.Cli.Commands;

/// <summary>The <c>--flow-log OUT.jsonl</c> option of scan and sensor (docs/flow-log.md).</summary>
internal static class FlowLogFile
{
    public static Option<string?> Option() => new("--flow-log")
    {
        Description = "Write one JSON line per flow (TCP and UDP) with its MCP verdict to this file (docs/flow-log.md)",
    };

    /// <summary>Opens the file when a path was given; false (after a clear message) when it cannot be created.</summary>
    public static bool TryOpen(string? path, out FlowLog? flowLog)
    {
        flowLog = null;
        if (path is null) return true;
        try
        {
            flowLog = FlowLog.Create(path);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            Console.Error.WriteLine($"error: --flow-log {path}: cannot create: {e.Message}");
            return false;
        }
    }
}
