using ShadowMcp.Scanner.Analysis;
using ShadowMcp.Scanner.Sessions;

namespace ShadowMcp.Scanner.Http;

/// <summary>
/// HTTP/1.x analyzers of closed flows, reset and kept for the next flows: an analyzer is some twenty objects (readers,
/// assemblers, body prefixes, id maps), and on a segment of short MCP sessions most flows are HTTP. Bounded, and
/// one per factory, so one per scanning thread (not thread-safe, like the factory).
/// </summary>
internal sealed class HttpAnalyzerPool(ObservationEmitter emitter, AnalyzerOptions options)
{
    private const int MaxKept = 256;
    private readonly Stack<HttpAnalyzer> _free = new();

    public HttpAnalyzer Rent(FlowEndpoints endpoints) =>
        _free.TryPop(out var analyzer) ? analyzer.Restart(endpoints) : new HttpAnalyzer(endpoints, emitter, options, this);

    /// <summary>Takes back an analyzer already reset by <see cref="HttpAnalyzer.Recycle"/>.</summary>
    public void Return(HttpAnalyzer analyzer)
    {
        if (_free.Count < MaxKept) _free.Push(analyzer);
    }
}
