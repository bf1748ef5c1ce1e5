namespace ShadowMcp.Core.Observations.JsonRpc;

/// <summary>Bounds on what one message may add: container depth, field count, string length.</summary>
public readonly record struct JsonRpcLimits(int MaxDepth, int MaxFields, int MaxStringChars)
{
    /// <summary>The Scanner's defaults (docs/observations.md); rule examples are read with these too.</summary>
    public static JsonRpcLimits Default => new(5, 256, 512);
}
