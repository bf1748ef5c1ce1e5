namespace ShadowMcp.Scanner.Sessions;

/// <summary>
/// Told once about every flow when it leaves the flow table (closed and expired, evicted early, or at the end
/// of the capture), after its analyzer flushed. An <see cref="IAnalyzerFactory"/> that also implements this
/// interface receives the calls; the flow log is built this way.
/// </summary>
public interface IFlowObserver
{
    void OnFlowEnd(FlowSummary flow);
}
