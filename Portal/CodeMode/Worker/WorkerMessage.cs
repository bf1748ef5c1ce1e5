using System.Text.Json.Serialization;
using ShadowMcp.Portal.Config;

namespace ShadowMcp.Portal.CodeMode.Worker;

/// <summary>
/// One frame between the portal and a code-mode worker. <see cref="Type"/> says which fields matter:
/// portal → worker: "run" (Code, Mode, ToolIds, Limits), "reply" (Id, Text);
/// worker → portal: "ready", "call" (Id, Name, Text; or Size alone when the arguments were over maxArgumentBytes), "tools" (Id), "declarations" (Id, Text),
/// "done" (Ok, Text, Failure, Logs, LogsTruncated, ToolCalls, Recycle).
/// </summary>
internal sealed class WorkerMessage
{
    [JsonPropertyName("t")] public string Type { get; set; } = "";
    [JsonPropertyName("id")] public long Id { get; set; }
    [JsonPropertyName("name")] public string? Name { get; set; }
    [JsonPropertyName("text")] public string? Text { get; set; }
    [JsonPropertyName("code")] public string? Code { get; set; }
    [JsonPropertyName("mode")] public SandboxMode Mode { get; set; }
    [JsonPropertyName("ids")] public Dictionary<string, string>? ToolIds { get; set; }
    [JsonPropertyName("limits")] public CodeModeSettings? Limits { get; set; }
    [JsonPropertyName("ok")] public bool Ok { get; set; }
    [JsonPropertyName("failure")] public SandboxFailure Failure { get; set; }
    [JsonPropertyName("logs")] public string? Logs { get; set; }
    [JsonPropertyName("logsTruncated")] public bool LogsTruncated { get; set; }
    [JsonPropertyName("toolCalls")] public int ToolCalls { get; set; }
    [JsonPropertyName("recycle")] public bool Recycle { get; set; }

    /// <summary>"call": the arguments' UTF-8 bytes, sent instead of them when they are over maxArgumentBytes.</summary>
    [JsonPropertyName("size")] public long Size { get; set; }
}
