using ShadowMcp.Classifier.Shape;
using ShadowMcp.Cli.Shape;
using ShadowMcp.Scanner.Shape;

namespace ShadowMcp.Cli.Tests;

/// <summary>
/// Retraining is one command and reproducible: the trainer's default threshold rule (unseen families, what `shape
/// train` and train.sh use: a threshold from look-alike families the model never saw), on the committed feature table without its held-out sessions (what
/// tests/corpus/shape/train.sh does), makes the shipped model's file byte for byte.
/// </summary>
public sealed class ShapeRetrainingTests
{
    [Test]
    public void UnseenFamiliesRule_CommittedTable_MakesTheShippedModelFile()
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
