namespace ShadowMcp.Classifier.Shape;

/// <summary>
/// Fits boosted regression trees for <see cref="ShapeModel"/> (logistic loss, Newton leaf values, class-balanced
/// weights). Small on purpose: shallow trees, a minimum number of flows per leaf and shrinkage keep it from learning
/// single flows of a small corpus. Trees are fitted on the rows <see cref="ShapeGate"/> lets through; the threshold
/// counts every row. Deterministic.
/// </summary>
/// <remarks>
/// The threshold comes from look-alike scores a model gave rows it was not trained on (a tree model scores its own
/// training rows too well). <see cref="ShapeThresholdRule.UnseenFamilies"/>, the default and the shipped model's
/// rule since the sixth version, scores each look-alike by a model trained without its whole family (leave one family
/// out); MCP rows are in every one of those fits, since the rule counts only look-alike scores (docs/shape-classifier.md,
/// ninth round). <see cref="ShapeThresholdRule.ServerFolds"/>, the fifth model's, folds by server; every family is
/// then in every fold, which measures families the model has seen: on the eighth round's tables the threshold fell to
/// 0.5 and families never seen were marked at 13-25 %.
/// </remarks>
public static class ShapeBoostedTrainer
{
    public sealed record Settings(int Trees = 120, int Depth = 2, double LearningRate = 0.1, int MinLeafRows = 8,
        double L2 = 1.0, int Folds = 4, double MaxFalsePositiveRate = 0.01,
        ShapeThresholdRule Threshold = ShapeThresholdRule.UnseenFamilies);

    public static ShapeModel Train(IReadOnlyList<ShapeSample> rows, IReadOnlyList<string> features, string trainedOn,
        Settings? settings = null)
    {
        settings ??= new Settings();
        var fit = Fit(rows, features, trainedOn, settings, threshold: 0.5);
        return new ShapeModel
        {
            Features = fit.Features, Trees = fit.Trees, Bias = fit.Bias, TrainedOn = trainedOn,
            Threshold = ThresholdFor(settings.Threshold == ShapeThresholdRule.UnseenFamilies
                ? UnseenFamilyScores(rows, features, trainedOn, settings)
                : ServerFoldScores(rows, features, trainedOn, settings), settings.MaxFalsePositiveRate, settings.Threshold),
        };
    }

    /// <summary>Each look-alike row's score by a model trained on the folds without its server (folds by server).</summary>
    public static List<double> ServerFoldScores(IReadOnlyList<ShapeSample> rows, IReadOnlyList<string> features,
        string trainedOn, Settings settings)
    {
        var scores = new List<double>();
        for (var k = 0; k < settings.Folds; k++)
        {
            var train = new List<ShapeSample>();
            var test = new List<ShapeSample>();
            for (var i = 0; i < rows.Count; i++) (Fold(rows[i].Flow, settings.Folds) == k ? test : train).Add(rows[i]);
            if (test.Count == 0 || train.All(r => r.IsMcp) || train.All(r => !r.IsMcp)) continue;
            var model = Fit(train, features, trainedOn, settings, 0.5);
            foreach (var r in test)
                if (!r.IsMcp) scores.Add(model.Score(r.Features));
        }
        return scores;
    }

    /// <summary>A fold by the flow's server address and port (the part of its key after '>'): a session stays whole.</summary>
    private static int Fold(string flowKey, int folds)
    {
        var server = flowKey[(flowKey.IndexOf('>', StringComparison.Ordinal) + 1)..];
        var hash = 2166136261u;
        foreach (var ch in server) hash = (hash ^ ch) * 16777619u;
        return (int)((hash >> 3) % (uint)folds);
    }

    /// <summary>
    /// Each look-alike row's score by a model trained on every row but its family's. A family whose removal leaves
    /// no look-alike to train on (a table of one family) has no such score.
    /// </summary>
    public static List<double> UnseenFamilyScores(IReadOnlyList<ShapeSample> rows, IReadOnlyList<string> features,
        string trainedOn, Settings settings)
    {
        var families = rows.Where(r => !r.IsMcp).Select(r => r.Family).Distinct().Order(StringComparer.Ordinal)
            .ToList();
        var gate = ShapeGate.IndexIn(features);
        var scores = new List<double>();
        foreach (var family in families)
        {
            var train = rows.Where(r => r.IsMcp || r.Family != family).ToList();
            var passing = train.Where(r => ShapeGate.Passes(r.Features, gate)).ToList();
            if (passing.All(r => r.IsMcp) || passing.All(r => !r.IsMcp)) continue;
            var model = Fit(train, features, trainedOn, settings, 0.5);
            scores.AddRange(rows.Where(r => !r.IsMcp && r.Family == family).Select(r => model.Score(r.Features)));
        }
        return scores;
    }

    /// <summary>
    /// The lowest threshold (not below 0.5, at most 0.999) keeping at most the budget's share of
    /// <paramref name="lookAlikeScores"/> above it.
    /// </summary>
    private static double ThresholdFor(List<double> lookAlikeScores, double maxFalsePositiveRate, ShapeThresholdRule rule)
    {
        var negatives = lookAlikeScores.OrderDescending().ToList();
        if (negatives.Count == 0) return 0.5;
        var allowed = (int)Math.Floor(maxFalsePositiveRate * negatives.Count);
        var threshold = Math.Max(allowed < negatives.Count ? negatives[allowed] + 1e-6 : 0.5, 0.5);
        // Rounded up, so the look-alike the budget does not allow stays below it; server folds keep their rounding to
        // the nearest, so the fifth model's file can still be made again from its table.
        var rounded = rule == ShapeThresholdRule.UnseenFamilies ? Math.Ceiling(threshold * 1e4) / 1e4 : Math.Round(threshold, 4);
        return Math.Clamp(rounded, 0.5, 0.999);
    }

    private static ShapeModel Fit(IReadOnlyList<ShapeSample> all, IReadOnlyList<string> features, string trainedOn,
        Settings settings, double threshold)
    {
        // Rows the gate shuts out score 0 whatever the trees say: the trees learn the rest.
        var gate = ShapeGate.IndexIn(features);
        var rows = all.Where(r => ShapeGate.Passes(r.Features, gate)).ToList();
        var positives = rows.Count(r => r.IsMcp);
        if (positives == 0 || positives == rows.Count)
            throw new InvalidOperationException("training needs both MCP and non-MCP rows");
        var weight = rows.Select(r => r.IsMcp ? rows.Count / (2.0 * positives) : rows.Count / (2.0 * (rows.Count - positives)))
            .ToArray();
        var y = rows.Select(r => r.IsMcp ? 1.0 : 0.0).ToArray();
        var z = new double[rows.Count];
        var trees = new List<ShapeTree>();
        var g = new double[rows.Count];
        var h = new double[rows.Count];
        for (var t = 0; t < settings.Trees; t++)
        {
            for (var i = 0; i < rows.Count; i++)
            {
                var p = 1 / (1 + Math.Exp(-z[i]));
                g[i] = weight[i] * (p - y[i]);
                h[i] = weight[i] * Math.Max(p * (1 - p), 1e-6);
            }
            var builder = new TreeBuilder(rows, g, h, features.Count, settings);
            builder.Grow(Enumerable.Range(0, rows.Count).ToArray(), 0);
            var tree = builder.ToTree();
            trees.Add(tree);
            for (var i = 0; i < rows.Count; i++) z[i] += tree.Evaluate(rows[i].Features);
        }
        return new ShapeModel { Features = [.. features], Trees = [.. trees], Bias = 0, Threshold = threshold, TrainedOn = trainedOn };
    }

    private sealed class TreeBuilder(IReadOnlyList<ShapeSample> rows, double[] g, double[] h, int features, Settings s)
    {
        private readonly List<(int Feature, float Split, int Left, int Right, double Value)> _nodes = [];

        public int Grow(int[] members, int depth)
        {
            var index = _nodes.Count;
            _nodes.Add((-1, 0, 0, 0, Leaf(members)));
            if (depth >= s.Depth || members.Length < 2 * s.MinLeafRows) return index;
            var (feature, split, gain) = BestSplit(members);
            if (feature < 0 || gain <= 1e-9) return index;
            var left = members.Where(i => rows[i].Features[feature] <= split).ToArray();
            var right = members.Where(i => rows[i].Features[feature] > split).ToArray();
            var l = Grow(left, depth + 1);
            var r = Grow(right, depth + 1);
            _nodes[index] = (feature, split, l, r, 0);
            return index;
        }

        private double Leaf(int[] members)
        {
            double sg = 0, sh = 0;
            foreach (var i in members) { sg += g[i]; sh += h[i]; }
            return -sg / (sh + s.L2) * s.LearningRate;
        }

        private (int Feature, float Split, double Gain) BestSplit(int[] members)
        {
            double totalG = 0, totalH = 0;
            foreach (var i in members) { totalG += g[i]; totalH += h[i]; }
            var parent = totalG * totalG / (totalH + s.L2);
            (int, float, double) best = (-1, 0, 0);
            var order = new int[members.Length];
            for (var f = 0; f < features; f++)
            {
                Array.Copy(members, order, members.Length);
                var feature = f;
                Array.Sort(order, (a, b) => rows[a].Features[feature].CompareTo(rows[b].Features[feature]));
                double lg = 0, lh = 0;
                for (var k = 0; k < order.Length - 1; k++)
                {
                    lg += g[order[k]];
                    lh += h[order[k]];
                    var here = rows[order[k]].Features[f];
                    var next = rows[order[k + 1]].Features[f];
                    if (here == next || k + 1 < s.MinLeafRows || order.Length - k - 1 < s.MinLeafRows) continue;
                    var rg = totalG - lg;
                    var rh = totalH - lh;
                    var gain = lg * lg / (lh + s.L2) + rg * rg / (rh + s.L2) - parent;
                    if (gain > best.Item3) best = (f, (here + next) / 2, gain);
                }
            }
            return best;
        }

        public ShapeTree ToTree() => new()
        {
            Feature = [.. _nodes.Select(n => n.Feature)], Split = [.. _nodes.Select(n => n.Split)],
            Left = [.. _nodes.Select(n => n.Left)], Right = [.. _nodes.Select(n => n.Right)],
            Value = [.. _nodes.Select(n => n.Value)],
        };
    }
}
