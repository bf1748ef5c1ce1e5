namespace ShadowMcp.Hosts.Reading;

/// <summary>Bounds on what one config file may cost: real ones are a few kilobytes and a dozen levels deep.</summary>
public sealed record ReadLimits
{
    /// <summary>Bigger files are refused unread (a 100 MB "config" is not one).</summary>
    public long MaxFileBytes { get; init; } = 4L << 20;
    /// <summary>Deeper nesting is refused by the parsers, before any recursion can exhaust the stack.</summary>
    public int MaxDepth { get; init; } = 64;
    /// <summary>How many files one glob (e.g. .continue/mcpServers/*.yaml) may yield.</summary>
    public int MaxFilesPerDirectory { get; init; } = 256;
}
