using System.Text.Json.Serialization;

namespace ShadowMcp.Classifier.Shape;

/// <summary>
/// One regression tree of the boosted shape model, as flat arrays: node <c>i</c> sends a flow left when
/// <c>features[Feature[i]] &lt;= Split[i]</c>, else right; a node with <c>Feature[i] == -1</c> is a leaf worth
/// <c>Value[i]</c> (log-odds, learning rate already applied). Node 0 is the root.
/// </summary>
public sealed class ShapeTree
{
    [JsonPropertyName("feature")] public required int[] Feature { get; init; }
    [JsonPropertyName("split")] public required float[] Split { get; init; }
    [JsonPropertyName("left")] public required int[] Left { get; init; }
    [JsonPropertyName("right")] public required int[] Right { get; init; }
    [JsonPropertyName("value")] public required double[] Value { get; init; }

    public double Evaluate(ReadOnlySpan<float> features)
    {
        var node = 0;
        while (Feature[node] >= 0) node = features[Feature[node]] <= Split[node] ? Left[node] : Right[node];
        return Value[node];
    }

    /// <summary>Every array the same length, children inside it and after their parent (so no cycle).</summary>
    internal bool IsWellFormed(int features)
    {
        var n = Feature.Length;
        if (n == 0 || Split.Length != n || Left.Length != n || Right.Length != n || Value.Length != n) return false;
        for (var i = 0; i < n; i++)
        {
            if (Feature[i] < 0) continue;
            if (Feature[i] >= features || Left[i] <= i || Right[i] <= i || Left[i] >= n || Right[i] >= n) return false;
        }
        return true;
    }
}
