namespace ShadowMcp.Scanner.JsonRpc;

/// <summary>Bounds on what one message may add: container depth, field count, string length.</summary>
internal readonly record struct JsonRpcLimits(int MaxDepth, int MaxFields, int MaxStringChars)
{
    public static JsonRpcLimits Default => new(5, 256, 512);
}
