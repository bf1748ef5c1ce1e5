using System.ComponentModel;
using ModelContextProtocol.Server;

namespace ShadowMcp.Corpus;

/// <summary>One prompt, so prompts/list has content.</summary>
[McpServerPromptType]
internal sealed class CorpusPrompts
{
    [McpServerPrompt(Name = "summarize"), Description("Asks for a short summary.")]
    public static string Summarize(string text) => $"Summarize in one line: {text}";
}
