namespace ShadowMcp.Portal.CodeMode;

/// <summary>Limits for code mode (`/mcp?codemode=search_and_execute`). Every limit applies per execution.</summary>
public sealed class CodeModeSettings
{
    /// <summary>Wall-clock limit, tool calls included.</summary>
    public double TimeoutSeconds { get; set; } = 30;

    public int MaxStatements { get; set; } = 5_000_000;

    /// <summary>Bytes the script may allocate (Jint counts allocations on the engine's own thread).</summary>
    public long MemoryBytes { get; set; } = 128L * 1024 * 1024;

    public int MaxRecursionDepth { get; set; } = 200;
    public uint MaxArraySize { get; set; } = 1_000_000;

    /// <summary>Source size accepted in `code`.</summary>
    public int MaxCodeChars { get; set; } = 100_000;

    public int MaxToolCalls { get; set; } = 100;

    /// <summary>Tool calls in flight at once from one execution (e.g. under Promise.all); the rest wait.</summary>
    public int MaxConcurrentToolCalls { get; set; } = 4;

    /// <summary>Executions running at once across the portal; further ones wait briefly, then get a busy error.</summary>
    public int MaxConcurrentExecutions { get; set; } = 16;

    /// <summary>The returned JSON is cut past this budget (≈4 characters a token) with a visible marker.</summary>
    public int MaxResultTokens { get; set; } = 6_000;

    /// <summary>Characters of console output kept; the rest is dropped with a marker.</summary>
    public int MaxLogChars { get; set; } = 8_000;

    /// <summary>Largest JSON text a script may produce or pass to one tool call.</summary>
    public int MaxJsonChars { get; set; } = 4 * 1024 * 1024;

    /// <summary>Upstream ids whose results get PII tokens ([EMAIL_1]) instead of raw values inside code mode.</summary>
    public List<string> TokenizePii { get; set; } = [];
}
