using System.Globalization;
using System.Text;

namespace ShadowMcp.Classifier.Shape;

/// <summary>
/// How a model did on a set of rows at its threshold: recall per transport, false positives per family, and a
/// precision/recall curve.
/// </summary>
public sealed record ShapeEvaluation(int Mcp, int NotMcp, int TruePositives, int FalsePositives,
    IReadOnlyList<(string Transport, int Hit, int Of)> RecallByTransport,
    IReadOnlyList<(string Family, int FalsePositives, int Of)> FalsePositivesByFamily,
    IReadOnlyList<(double Threshold, double Precision, double Recall)> Curve)
{
    public double Recall => Mcp == 0 ? 0 : TruePositives / (double)Mcp;
    public double FalsePositiveRate => NotMcp == 0 ? 0 : FalsePositives / (double)NotMcp;

    /// <param name="bySession">Score each flow with its session (<see cref="ShapeSessionScore"/>), as the scanner does.</param>
    public static ShapeEvaluation Of(ShapeModel model, IReadOnlyList<ShapeSample> rows, bool bySession = false)
    {
        var own = rows.Select(r => model.Score(r.Features)).ToList();
        var final = bySession ? ShapeSessionScore.Combine(own, rows.Select(ShapeSessionScore.SessionOf).ToList()) : [.. own];
        var scored = rows.Select((r, i) => (Row: r, Score: final[i])).ToList();
        bool Hit((ShapeSample Row, double Score) s) => s.Score >= model.Threshold;
        var byTransport = scored.Where(s => s.Row.IsMcp).GroupBy(s => s.Row.Transport)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => (g.Key, g.Count(Hit), g.Count())).ToList();
        var byFamily = scored.Where(s => !s.Row.IsMcp).GroupBy(s => s.Row.Family)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => (g.Key, g.Count(Hit), g.Count())).ToList();
        var curve = new List<(double, double, double)>();
        foreach (var t in new[] { 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99 })
        {
            var tp = scored.Count(s => s.Row.IsMcp && s.Score >= t);
            var fp = scored.Count(s => !s.Row.IsMcp && s.Score >= t);
            var mcp = scored.Count(s => s.Row.IsMcp);
            curve.Add((t, tp + fp == 0 ? 1 : tp / (double)(tp + fp), mcp == 0 ? 0 : tp / (double)mcp));
        }
        return new ShapeEvaluation(scored.Count(s => s.Row.IsMcp), scored.Count(s => !s.Row.IsMcp),
            scored.Count(s => s.Row.IsMcp && Hit(s)), scored.Count(s => !s.Row.IsMcp && Hit(s)),
            byTransport, byFamily, curve);
    }

    /// <summary>A Markdown section for docs/shape-classifier.md.</summary>
    public string ToMarkdown(string title, double threshold)
    {
        var c = CultureInfo.InvariantCulture;
        var b = new StringBuilder();
        b.AppendLine(c, $"#### {title}").AppendLine();
        b.AppendLine(c, $"Threshold {threshold:0.###}: MCP flows marked mcp {TruePositives}/{Mcp} ({Recall:P1}); " +
            $"non-MCP flows marked mcp {FalsePositives}/{NotMcp} ({FalsePositiveRate:P1}).").AppendLine();
        b.AppendLine("| MCP transport | recall |").AppendLine("|---|---|");
        foreach (var (t, hit, of) in RecallByTransport) b.AppendLine(c, $"| {t} | {hit}/{of} |");
        b.AppendLine().AppendLine("| non-MCP family | flows marked mcp |").AppendLine("|---|---|");
        foreach (var (f, fp, of) in FalsePositivesByFamily) b.AppendLine(c, $"| {f} | {fp}/{of} |");
        b.AppendLine().AppendLine("| threshold | precision | recall |").AppendLine("|---|---|---|");
        foreach (var (t, p, r) in Curve) b.AppendLine(c, $"| {t:0.00} | {p:0.000} | {r:0.000} |");
        return b.AppendLine().ToString();
    }
}
