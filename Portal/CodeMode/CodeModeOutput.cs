using System.Text.Json.Nodes;
using ModelContextProtocol.Protocol;
using ShadowMcp.Portal.Config;

namespace ShadowMcp.Portal.CodeMode;

/// <summary>Turns a sandbox outcome into the MCP result: JSON text cut to the token budget, console output beside it.</summary>
internal static class CodeModeOutput
{
    /// <summary>A rough o200k-style ratio, on the safe side for JSON.</summary>
    public const int CharsPerToken = 4;

    public static CallToolResult ToResult(SandboxOutcome outcome, string executionId, CodeModeSettings settings)
    {
        var blocks = new List<ContentBlock>();
        if (outcome.Succeeded) blocks.Add(new TextContentBlock { Text = Truncate(outcome.ResultJson!, settings.MaxResultTokens) });
        else blocks.Add(new TextContentBlock { Text = "Error: " + outcome.Error });
        if (outcome.Logs.Length > 0) blocks.Add(new TextContentBlock { Text = "console output:\n" + outcome.Logs.TrimEnd('\n') });
        return new CallToolResult
        {
            Content = blocks,
            IsError = outcome.Succeeded ? null : true,
            Meta = new JsonObject { ["shadowmcp/executionId"] = executionId, ["shadowmcp/toolCalls"] = outcome.ToolCalls },
        };
    }

    public static string Truncate(string json, int maxTokens)
    {
        var budget = Math.Max(64, maxTokens * CharsPerToken);
        if (json.Length <= budget) return json;
        var cut = budget;
        if (char.IsHighSurrogate(json[cut - 1])) cut--;
        return json[..cut] + $"\n…[truncated by the portal: the result is {json.Length} characters (about {json.Length / CharsPerToken} tokens); the limit is {maxTokens} tokens. Return less, e.g. select fields or slice arrays.]";
    }
}
