namespace ShadowMcp.Scanner.Sessions;

/// <summary>
/// An analyzer that can say how many heap bytes its parse state holds (buffers and fixed objects), so the flow
/// table charges them to the memory budget. Analyzers without it are charged a conservative fixed estimate
/// (<see cref="Reassembly.ReassemblyOptions.UnreportedAnalyzerBytes"/>).
/// </summary>
public interface IHoldsBytes
{
    /// <summary>Heap bytes held now; read after every call on network bytes, so it must be cheap.</summary>
    long HeldBytes { get; }
}
