namespace ShadowMcp.Classifier.Shape;

/// <summary>
/// A rule in front of the model: a session in which no connection carries at least <see cref="MinPairs"/>
/// request/response pairs scores 0, whatever the trees say. MCP cannot do less: every session is `initialize`,
/// the `notifications/initialized` POST (answered 202) and at least one call, and HTTP clients keep those on one
/// connection. A beacon per connection, a download, a lone stream or a single REST call cannot pass it.
/// Applies to models whose feature list has <see cref="Feature"/>; older models score as before.
/// </summary>
public static class ShapeGate
{
    /// <summary>The feature that carries the session's most pairs on one connection, as log(1 + pairs).</summary>
    public const string Feature = "session_log_max_pairs";

    public const int MinPairs = 2;

    // Features are floats: compare below log(1 + MinPairs) by a margin rounding cannot cross.
    private static readonly float Floor = (float)Math.Log(1 + MinPairs) - 1e-4f;

    /// <summary>Where the gate's feature sits in a model's feature list, or -1 when it has none.</summary>
    public static int IndexIn(IReadOnlyList<string> features)
    {
        for (var i = 0; i < features.Count; i++)
        {
            if (features[i] == Feature) return i;
        }
        return -1;
    }

    /// <summary>Whether a flow may be scored by the model: its session had a connection with enough pairs.</summary>
    public static bool Passes(ReadOnlySpan<float> features, int index) => index < 0 || features[index] >= Floor;
}
