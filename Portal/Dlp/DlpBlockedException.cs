using ModelContextProtocol;

namespace ShadowMcp.Portal.Dlp;

/// <summary>DLP blocked a payload: names the direction and the detectors (never the matched text).</summary>
internal sealed class DlpBlockedException(string direction, DlpScanResult result)
    : McpProtocolException($"Blocked by portal DLP: {direction} matched detector(s) {result.Summary}", (McpErrorCode)Code)
{
    /// <summary>The JSON-RPC error code, in the implementation-defined server range.</summary>
    public const int Code = -32004;

    public DlpScanResult Result { get; } = result;
}
