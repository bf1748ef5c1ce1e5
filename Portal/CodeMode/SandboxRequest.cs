namespace ShadowMcp.Portal.CodeMode;

/// <summary>
/// One script to run and the host side it may reach. Every callback takes and returns JSON text, so no CLR
/// object ever crosses into the engine. <see cref="CallTool"/> returns an envelope: {"value":…} or {"error":"…"}.
/// It is called on the engine thread and must only start the call (the worker sends one frame), not wait for it.
/// </summary>
internal sealed record SandboxRequest(
    string Code,
    SandboxMode Mode,
    IReadOnlyDictionary<string, string> ToolIds,
    Func<string> ToolsJson,
    Func<string, string> Declarations,
    Func<string, string, CancellationToken, Task<string>> CallTool);
