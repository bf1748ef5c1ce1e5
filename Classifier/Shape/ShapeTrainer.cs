namespace ShadowMcp.Classifier.Shape;

/// <summary>
/// Fits the logistic regression of <see cref="ShapeModel"/>: standardize each feature on the training rows, then
/// full-batch gradient descent with L2 and class-balanced weights (so the larger class does not set the bias).
/// Deterministic: the same rows give the same model.
/// </summary>
public static class ShapeTrainer
{
    public static ShapeModel Train(IReadOnlyList<ShapeSample> rows, IReadOnlyList<string> features, string trainedOn,
        double l2 = 0.02, int iterations = 3000, double rate = 0.2, double maxFalsePositiveRate = 0.01)
    {
        var positives = rows.Count(r => r.IsMcp);
        if (positives == 0 || positives == rows.Count)
            throw new InvalidOperationException("training needs both MCP and non-MCP rows");
        var n = features.Count;
        var mean = new double[n];
        var scale = new double[n];
        for (var j = 0; j < n; j++)
        {
            mean[j] = rows.Average(r => r.Features[j]);
            var variance = rows.Average(r => Math.Pow(r.Features[j] - mean[j], 2));
            scale[j] = variance > 1e-9 ? Math.Sqrt(variance) : 1;
        }
        var x = rows.Select(r => Enumerable.Range(0, n).Select(j => (r.Features[j] - mean[j]) / scale[j]).ToArray())
            .ToArray();
        var classWeight = (Pos: rows.Count / (2.0 * positives), Neg: rows.Count / (2.0 * (rows.Count - positives)));
        var w = new double[n];
        var bias = 0.0;
        var gradient = new double[n];
        for (var it = 0; it < iterations; it++)
        {
            Array.Clear(gradient);
            var gBias = 0.0;
            for (var i = 0; i < x.Length; i++)
            {
                var z = bias;
                for (var j = 0; j < n; j++) z += w[j] * x[i][j];
                var p = 1 / (1 + Math.Exp(-z));
                var y = rows[i].IsMcp ? 1 : 0;
                var err = (p - y) * (y == 1 ? classWeight.Pos : classWeight.Neg);
                for (var j = 0; j < n; j++) gradient[j] += err * x[i][j];
                gBias += err;
            }
            for (var j = 0; j < n; j++) w[j] -= rate * (gradient[j] / x.Length + l2 * w[j]);
            bias -= rate * gBias / x.Length;
        }
        var model = new ShapeModel
        {
            Features = [.. features], Mean = mean, Scale = scale, Weights = w, Bias = bias, Threshold = 0.5,
            TrainedOn = trainedOn,
        };
        return new ShapeModel
        {
            Features = model.Features, Mean = mean, Scale = scale, Weights = w, Bias = bias,
            Threshold = ChooseThreshold(model, rows, maxFalsePositiveRate), TrainedOn = trainedOn,
        };
    }

    /// <summary>
    /// The lowest threshold (not below 0.5) whose false-positive rate on <paramref name="rows"/> is at most
    /// <paramref name="maxFalsePositiveRate"/>: as much recall as the false-positive budget allows.
    /// </summary>
    public static double ChooseThreshold(ShapeModel model, IReadOnlyList<ShapeSample> rows, double maxFalsePositiveRate)
    {
        var negatives = rows.Where(r => !r.IsMcp).Select(r => model.Score(r.Features)).OrderDescending().ToList();
        var allowed = (int)Math.Floor(maxFalsePositiveRate * negatives.Count);
        var threshold = allowed < negatives.Count ? negatives[allowed] + 1e-6 : 0.5;
        return Math.Round(Math.Clamp(Math.Max(threshold, 0.5), 0, 0.999), 4);
    }
}
