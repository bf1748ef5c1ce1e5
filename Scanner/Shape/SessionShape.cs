namespace ShadowMcp.Scanner.Shape;

/// <summary>
/// Where a flow sits among its client's other flows to the same server (see <see cref="ShapeSessions"/>):
/// how many flows the session had, how many ran at once, whether another flow ran beside this one, how much of
/// the session's life this flow spans, and whether the session's flows ended together (a teardown).
/// </summary>
public readonly record struct SessionShape(int Flows, int MaxParallel, bool Beside, double Cover, bool EndedTogether)
{
    public static SessionShape Alone => new(1, 1, false, 1, false);
}
