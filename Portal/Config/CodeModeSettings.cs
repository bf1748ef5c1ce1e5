namespace ShadowMcp.Portal.Config;

/// <summary>Limits for code mode (`/mcp?codemode=search_and_execute`). Every limit applies per execution.</summary>
public sealed class CodeModeSettings
{
    /// <summary>Wall-clock limit, tool calls included.</summary>
    public double TimeoutSeconds { get; set; } = 30;

    public int MaxStatements { get; set; } = 5_000_000;

    /// <summary>Bytes the script may allocate (Jint counts allocations on the engine's own thread, cumulatively).</summary>
    public long MemoryBytes { get; set; } = 128L * 1024 * 1024;

    public int MaxRecursionDepth { get; set; } = 200;
    public uint MaxArraySize { get; set; } = 1_000_000;

    /// <summary>Source size accepted in `code`.</summary>
    public int MaxCodeChars { get; set; } = 100_000;

    public int MaxToolCalls { get; set; } = 100;

    /// <summary>
    /// `codemode.tools()` and `codemode.declarations()` answers per execution. The portal builds each one (at full
    /// priority, uncounted elsewhere), so a script looping on them moved its work out of the nice-19 worker into
    /// the portal; passing this stops the run.
    /// </summary>
    public int MaxSearchCalls { get; set; } = 100;

    /// <summary>Tool calls in flight at once from one execution (e.g. under Promise.all); the rest wait.</summary>
    public int MaxConcurrentToolCalls { get; set; } = 4;

    /// <summary>Executions running at once across the portal; further ones queue (oldest first), then get a busy error.</summary>
    public int MaxConcurrentExecutions { get; set; } = 16;

    /// <summary>Executions one user may run at once, so no single caller can take every slot.</summary>
    public int MaxExecutionsPerUser { get; set; } = 4;

    /// <summary>Executions one group (the caller's group list) may run at once.</summary>
    public int MaxExecutionsPerGroup { get; set; } = 12;

    /// <summary>How long an execution may queue for a slot before it gets "Portal busy".</summary>
    public double QueueSeconds { get; set; } = 5;

    /// <summary>Worker processes kept started and waiting, so an execution does not pay for a process start.</summary>
    public int WarmWorkers { get; set; } = 2;

    /// <summary>
    /// Executions one worker process serves (one at a time) before it is replaced. Each run has a fresh engine, and a
    /// run that hits the memory limit or fails inside recycles its worker at once, so this only bounds slow drift;
    /// a replacement's start (JIT, warm-up) competes with running executions, which is what a low value costs at p99.
    /// </summary>
    public int MaxRunsPerWorker { get; set; } = 500;

    /// <summary>
    /// Address-space limit of a worker (RLIMIT_AS); 0 = derived from <see cref="WorkerHeapBytes"/>. The .NET runtime
    /// reserves about 2.6 GB plus five times its heap limit up front (measured on .NET 10), so this is no RSS figure.
    /// </summary>
    public long WorkerAddressSpaceBytes { get; set; }

    /// <summary>Managed-heap limit of a worker (GCHeapHardLimit): what bounds its memory; a huge allocation fails here.</summary>
    public long WorkerHeapBytes { get; set; } = 256L * 1024 * 1024;

    public long EffectiveAddressSpaceBytes =>
        WorkerAddressSpaceBytes > 0 ? WorkerAddressSpaceBytes : 3L * 1024 * 1024 * 1024 + 5 * WorkerHeapBytes + 512L * 1024 * 1024;

    /// <summary>Niceness of worker processes (0-19): at 19 a busy script gets little CPU while plain calls want it.</summary>
    public int WorkerNice { get; set; } = 19;

    /// <summary>Run workers in an empty network namespace (needs root; skipped with a warning where refused).</summary>
    public bool IsolateNetwork { get; set; } = true;

    /// <summary>The worker command line; empty = this executable with `codemode-worker`.</summary>
    public List<string> WorkerCommand { get; set; } = [];

    /// <summary>The returned JSON is cut past this budget (≈4 characters a token) with a visible marker.</summary>
    public int MaxResultTokens { get; set; } = 6_000;

    /// <summary>Characters of console output kept; the rest is dropped with a marker.</summary>
    public int MaxLogChars { get; set; } = 8_000;

    /// <summary>Largest JSON text a script may produce (its result).</summary>
    public int MaxJsonChars { get; set; } = 4 * 1024 * 1024;

    /// <summary>
    /// UTF-8 bytes of JSON one tool call of a script may pass, as much as a direct call may send by default
    /// (portal.maxRequestBytes). Checked in the worker, which sends a larger call as its size alone, and by the
    /// portal on each call frame's length before reading it: the portal never buffers a larger argument.
    /// </summary>
    public int MaxArgumentBytes { get; set; } = 1024 * 1024;

    /// <summary>Upstream ids whose results get PII tokens ([EMAIL_1]) instead of raw values inside code mode.</summary>
    public List<string> TokenizePii { get; set; } = [];

    /// <summary>
    /// Upstream ids trusted to receive the raw values behind PII tokens. Default none: a token in arguments to any
    /// other server refuses the call. What such a server returns is tokenized again before the script sees it.
    /// </summary>
    public List<string> RestoreTo { get; set; } = [];
}
