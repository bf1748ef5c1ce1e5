namespace ShadowMcp.Classifier.Shape;

/// <summary>
/// Judges the session as well as the flow: a flow's final score is the mean of its own score and its session's mean
/// score (a session is a client's flows to one server, <c>Scanner/Shape/ShapeSessions</c>). One odd flow of a
/// look-alike session is pulled down by its siblings; a weak flow of an MCP session (a short GET stream, the
/// DELETE's connection) is pulled up by its session.
/// </summary>
public static class ShapeSessionScore
{
    /// <param name="scores">Each flow's own score.</param>
    /// <param name="session">Each flow's session key, same order.</param>
    public static double[] Combine(IReadOnlyList<double> scores, IReadOnlyList<string> session)
    {
        var sums = new Dictionary<string, (double Sum, int Count)>(StringComparer.Ordinal);
        for (var i = 0; i < scores.Count; i++)
        {
            var (sum, count) = sums.GetValueOrDefault(session[i]);
            sums[session[i]] = (sum + scores[i], count + 1);
        }
        var result = new double[scores.Count];
        for (var i = 0; i < scores.Count; i++)
        {
            var (sum, count) = sums[session[i]];
            result[i] = (scores[i] + sum / count) / 2;
        }
        return result;
    }

    /// <summary>The session of a row of the feature table: its client address and server address and port.</summary>
    public static string SessionOf(ShapeSample row)
    {
        var key = row.Flow;
        var colon = key.IndexOf(':', StringComparison.Ordinal);
        var arrow = key.IndexOf('>', StringComparison.Ordinal);
        var clientEnd = key.LastIndexOf(':', arrow);
        return key[(colon + 1)..clientEnd] + ">" + key[(arrow + 1)..];
    }
}
