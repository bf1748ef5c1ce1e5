using System.ComponentModel;
using ModelContextProtocol.Server;

namespace ShadowMcp.Corpus;

/// <summary>Tools the corpus servers expose, so tools/list and tools/call carry real names and results.</summary>
[McpServerToolType]
internal sealed class CorpusTools
{
    [McpServerTool(Name = "echo"), Description("Echoes the message back.")]
    public static string Echo([Description("Text to echo")] string message) => $"echo: {message}";

    [McpServerTool(Name = "add_numbers"), Description("Adds two integers.")]
    public static int AddNumbers(int a, int b) => a + b;

    [McpServerTool(Name = "search_tickets"), Description("Searches the ticket tracker.")]
    public static string SearchTickets(string query) => $"0 tickets match '{query}'";
}
