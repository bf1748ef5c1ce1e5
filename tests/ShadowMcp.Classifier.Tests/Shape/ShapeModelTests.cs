using ShadowMcp.Classifier.Shape;

namespace ShadowMcp.Classifier.Tests.Shape;

/// <summary>The shipped shape model against the committed held-out split (docs/shape-classifier.md).</summary>
public sealed class ShapeModelTests
{
    // The held-out figures docs/shape-classifier.md reports for the shipped model; retraining updates both.
    private const double HeldOutRecall = 176.0 / 182;
    private const double HeldOutFalsePositiveRate = 1.0 / 92;
    // Stated tolerance: scoring is deterministic, so any drift beyond float rounding means the model or the
    // split changed without the README.
    private const double Tolerance = 0.005;

    private static string Root
    {
        get
        {
            var start = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
            for (var dir = start; dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "ShadowMcp.sln"))) return dir.FullName;
            throw new DirectoryNotFoundException("repository root not found");
        }
    }

    private static ShapeModel Shipped => ShapeModel.Load(Path.Combine(Root, "Classifier", "Shape", "shape-model.json"));

    [Test]
    public void ShippedModel_HeldOutSplit_ScoresTheReadmeFiguresWithinTolerance()
    {
        var model = Shipped;
        var rows = ShapeTable.Read(Path.Combine(Root, "tests", "corpus", "shape", "holdout.csv"), model.Features)
            .Select(r => r.Sample).ToList();

        var evaluation = ShapeEvaluation.Of(model, rows);

        Assert.Multiple(() =>
        {
            Assert.That(evaluation.Mcp, Is.GreaterThan(0));
            Assert.That(evaluation.NotMcp, Is.GreaterThan(0));
            Assert.That(evaluation.Recall, Is.EqualTo(HeldOutRecall).Within(Tolerance));
            Assert.That(evaluation.FalsePositiveRate, Is.EqualTo(HeldOutFalsePositiveRate).Within(Tolerance));
        });
    }

    [Test]
    public void Load_ArraysOfDifferentLengths_ThrowsNamingTheFile()
    {
        var path = Path.Combine(TestContext.CurrentContext.WorkDirectory, "bad-shape-model.json");
        File.WriteAllText(path,
            """{"features":["a","b"],"mean":[0],"scale":[1,1],"weights":[1,1],"bias":0,"threshold":0.5}""");

        var e = Assert.Throws<InvalidDataException>(() => ShapeModel.Load(path));

        Assert.That(e!.Message, Does.Contain("bad-shape-model.json").And.Contain("same length"));
    }

    [TestCase("""{"features":null,"mean":[],"scale":[],"weights":[],"bias":0,"threshold":0.5}""")]
    [TestCase("""{"features":["a"],"mean":null,"scale":[1],"weights":[1],"bias":0,"threshold":0.5}""")]
    [TestCase("""{"features":["a"],"trees":[{"feature":null,"split":[0],"left":[0],"right":[0],"value":[0]}],"bias":0,"threshold":0.5}""")]
    public void Load_NullWhereAnArrayBelongs_ThrowsNamingTheFile(string json)
    {
        // A null for a required or defaulted array passes the JSON reader: it must not surface as a NullReferenceException
        // that says nothing about which model file is wrong.
        var path = Path.Combine(TestContext.CurrentContext.WorkDirectory, "null-shape-model.json");
        File.WriteAllText(path, json);

        var e = Assert.Throws<InvalidDataException>(() => ShapeModel.Load(path));

        Assert.That(e!.Message, Does.Contain("null-shape-model.json"));
    }

    [Test]
    public void Load_TreeChildPointingBack_ThrowsNamingTheFile()
    {
        var path = Path.Combine(TestContext.CurrentContext.WorkDirectory, "cyclic-shape-model.json");
        // Node 0's left child is node 0 itself: a walk would never end.
        const string Cyclic = """{"features":["a"],"trees":[{"feature":[0,-1,-1],"split":[1,0,0],"left":[0,0,0],"right":[2,0,0],"value":[0,1,-1]}],"bias":0,"threshold":0.5}""";
        File.WriteAllText(path, Cyclic);

        var e = Assert.Throws<InvalidDataException>(() => ShapeModel.Load(path));

        Assert.That(e!.Message, Does.Contain("cyclic-shape-model.json").And.Contain("tree"));
    }

    [Test]
    public void TrainBoosted_SeparableRows_ScoresEachClassOnItsSideAndRoundTrips()
    {
        var rows = Enumerable.Range(0, 80).Select(i => new ShapeSample(
            $"tcp:10.0.0.{i % 7}:5000>10.0.1.{i % 9}:443", i % 2 == 0 ? "mcp:x" : "other", "s", "t",
            i % 2 == 0, [i % 2 == 0 ? 1f + i * 0.01f : -1f - i * 0.01f, i % 5])).ToList();

        var model = ShapeBoostedTrainer.Train(rows, ["x", "noise"], "test");
        var path = Path.Combine(TestContext.CurrentContext.WorkDirectory, "boosted-shape-model.json");
        model.Save(path);
        var loaded = ShapeModel.Load(path);

        Assert.Multiple(() =>
        {
            Assert.That(loaded.Score([1.2f, 3]), Is.GreaterThanOrEqualTo(loaded.Threshold));
            Assert.That(loaded.Score([-1.2f, 3]), Is.LessThan(0.5));
            Assert.That(loaded.Score([0.5f, 1]), Is.EqualTo(model.Score([0.5f, 1])).Within(1e-12));
            Assert.That(ShapeEvaluation.Of(loaded, rows).FalsePositives, Is.Zero);
        });
    }

    [Test]
    public void Score_SessionWithoutTwoPairsOnAConnection_IsZeroWhateverTheTrees()
    {
        // One tree that calls everything MCP; the gate's feature is log(1 + most pairs on one connection).
        var model = new ShapeModel
        {
            Features = ["x", ShapeGate.Feature], Bias = 5, Threshold = 0.5,
            Trees = [new ShapeTree { Feature = [-1], Split = [0], Left = [0], Right = [0], Value = [5] }],
        };

        Assert.Multiple(() =>
        {
            Assert.That(model.Score([1, (float)Math.Log(1 + 1)]), Is.Zero);
            Assert.That(model.Score([1, 0]), Is.Zero);
            Assert.That(model.Score([1, (float)Math.Log(1 + 2)]), Is.GreaterThan(0.99));
        });
    }

    [Test]
    public void Score_WrongFeatureCount_Throws() =>
        Assert.Throws<ArgumentException>(() => Shipped.Score(new float[2]));

    [Test]
    public void Train_SeparableRows_ScoresEachClassOnItsSide()
    {
        var rows = Enumerable.Range(0, 40).Select(i => new ShapeSample(
            $"f{i}", i % 2 == 0 ? "mcp:x" : "other", "s", "t",
            i % 2 == 0, [i % 2 == 0 ? 1f + i * 0.01f : -1f - i * 0.01f, i])).ToList();

        var model = ShapeTrainer.Train(rows, ["x", "noise"], "test");

        Assert.Multiple(() =>
        {
            Assert.That(model.Score([1.2f, 3]), Is.GreaterThan(model.Threshold));
            Assert.That(model.Score([-1.2f, 3]), Is.LessThan(0.5));
            Assert.That(ShapeEvaluation.Of(model, rows).FalsePositives, Is.Zero);
        });
    }

    [Test]
    public void Score_AllocatesNothing()
    {
        var model = Shipped;
        var features = new float[model.Features.Length];
        model.Score(features);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++) model.Score(features);

        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.Zero);
    }
}
