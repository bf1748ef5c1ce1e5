using ShadowMcp.Classifier.Shape;

namespace ShadowMcp.Classifier.Tests.Shape;

/// <summary>
/// The boosted model's threshold comes from look-alike scores of families left out of training, so it bounds
/// false positives on look-alike traffic the model has never seen (docs/shape-classifier.md, ninth round).
/// </summary>
public sealed class ShapeThresholdTests
{
    private static readonly string[] Features = ["x", "y"];

    // Few trees keep the scores off 1.0, so the threshold is not at its 0.999 cap.
    private static readonly ShapeBoostedTrainer.Settings Small = new(Trees: 10, Threshold: ShapeThresholdRule.UnseenFamilies);

    private static ShapeSample Row(string family, bool mcp, int i, float x, float y) =>
        new($"tcp:10.0.0.{i % 7}:5000>10.0.1.{i % 9}:443", family, "s", "t", mcp, [x, y]);

    /// <summary>
    /// MCP at x ≈ 1, y = 0. Two families at x ≈ -1: each teaches the model what the other looks like. "twin" is at
    /// MCP's x and differs only by y = 1: once seen it is easy, but a model that never saw it has no reason to
    /// split on y and scores it like MCP.
    /// </summary>
    private static List<ShapeSample> Table()
    {
        var rows = new List<ShapeSample>();
        for (var i = 0; i < 40; i++) rows.Add(Row("mcp:x", true, i, 1 + i * 0.02f, 0));
        for (var i = 0; i < 20; i++) rows.Add(Row("far-a", false, i, -1 - i * 0.02f, 0));
        for (var i = 0; i < 20; i++) rows.Add(Row("far-b", false, i, -1.1f - i * 0.02f, 0));
        for (var i = 0; i < 20; i++) rows.Add(Row("twin", false, i, 1.01f + i * 0.02f, 1));
        return rows;
    }

    [Test]
    public void Train_FamilyEasyWhenSeen_ThresholdSitsAboveItsScoresWhenUnseen()
    {
        var rows = Table();
        var twin = rows.Where(r => r.Family == "twin").ToList();

        var model = ShapeBoostedTrainer.Train(rows, Features, "test", Small);
        var withoutTwin = ShapeBoostedTrainer.Train(rows.Where(r => r.Family != "twin").ToList(), Features, "test",
            Small);
        var unseen = twin.Select(r => withoutTwin.Score(r.Features)).ToList();

        Assert.Multiple(() =>
        {
            // The fixture: seen, the family scores low; unseen, like MCP.
            Assert.That(twin.Select(r => model.Score(r.Features)), Has.All.LessThan(0.5));
            Assert.That(unseen, Has.All.GreaterThan(0.5));
            // The rule: the threshold comes from the unseen scores, so none of them reaches it.
            Assert.That(model.Threshold, Is.GreaterThan(unseen.Max()));
            Assert.That(model.Threshold, Is.LessThan(0.999));
        });
    }

    [Test]
    public void UnseenFamilyScores_ScoresEachLookAlikeByAModelWithoutItsFamily()
    {
        var rows = Table();

        var scores = ShapeBoostedTrainer.UnseenFamilyScores(rows, Features, "test", Small);
        // Families in name order: far-a, far-b, twin; each scored by a model trained on all rows but its family's.
        var expected = new[] { "far-a", "far-b", "twin" }.SelectMany(family =>
        {
            var model = ShapeBoostedTrainer.Train(rows.Where(r => r.Family != family).ToList(), Features, "test",
                Small);
            return rows.Where(r => r.Family == family).Select(r => model.Score(r.Features));
        });

        Assert.That(scores, Is.EqualTo(expected).Within(1e-12));
    }

    [Test]
    public void Train_ServerFoldsRule_MeasuresSeenFamiliesOnly()
    {
        // Folds by server keep every family in every fold: the twin family was seen, scores low, and the threshold
        // stays at its 0.5 floor, below the scores the family gets when unseen (the rule the fifth model shipped with).
        var rows = Table();
        var serverFolds = ShapeBoostedTrainer.Train(rows, Features, "test", Small with { Threshold = ShapeThresholdRule.ServerFolds });
        var unseenRule = ShapeBoostedTrainer.Train(rows, Features, "test", Small);

        Assert.That(serverFolds.Threshold, Is.EqualTo(0.5));
        Assert.That(unseenRule.Threshold, Is.GreaterThan(serverFolds.Threshold));
    }

    [Test]
    public void Train_SameRows_SameThreshold()
    {
        var first = ShapeBoostedTrainer.Train(Table(), Features, "test", Small);
        var second = ShapeBoostedTrainer.Train(Table(), Features, "test", Small);

        Assert.That(second.Threshold, Is.EqualTo(first.Threshold));
    }
}
