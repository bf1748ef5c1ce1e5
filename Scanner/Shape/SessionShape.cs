namespace ShadowMcp.Scanner.Shape;

/// <summary>
/// Where a flow sits among its client's other flows to the same server (see <see cref="ShapeSessions"/>):
/// how many flows the session had, how many ran at once, whether another flow ran beside this one, how much of
/// the session's life this flow spans, whether the session's flows ended together (a teardown), and the smallest
/// last-request ratio of its flows (<see cref="ShapeFeatures.LastRequestRatio"/>: below zero when some connection
/// ended with a smaller request than it carried, as MCP's closing DELETE).
/// </summary>
public readonly record struct SessionShape(
    int Flows, int MaxParallel, bool Beside, double Cover, bool EndedTogether, double MinLastRequestRatio = 0)
{
    public static SessionShape Alone => new(1, 1, false, 1, false);
}
