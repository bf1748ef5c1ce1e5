using ShadowMcp.Classifier.Shape;
using ShadowMcp.Cli.Shape;
using ShadowMcp.Scanner.Shape;

namespace ShadowMcp.Cli.Tests;

/// <summary>
/// Retraining is one command and reproducible: the default threshold rule, on the committed feature table without
/// its held-out sessions (what `shape train` and tests/corpus/shape/train.sh do), makes the shipped model's file
/// byte for byte. A second rule (`--threshold unseen-families`, the ninth round) must not change that.
/// </summary>
public sealed class ShapeRetrainingTests
{
    [Test]
    public void DefaultRule_CommittedTable_MakesTheShippedModelFile()
    {
        var table = Path.Combine(RepoPaths.Root, "tests", "corpus", "shape", "features.csv");
        var rows = ShapeTable.Read(table, ShapeFeatures.Names);
        var train = rows.Where(r => !ShapeSplits.IsHeldOut(r.Session)).Select(r => r.Sample).ToList();
        var model = ShapeBoostedTrainer.Train(train, ShapeFeatures.Names,
            $"features.csv: {train.Count} flows, held-out sessions excluded");
        var written = Path.Combine(TestContext.CurrentContext.WorkDirectory, "retrained-shape-model.json");

        model.Save(written);

        Assert.That(File.ReadAllBytes(written),
            Is.EqualTo(File.ReadAllBytes(Path.Combine(RepoPaths.Root, "Classifier", "Shape", "shape-model.json"))));
    }
}
