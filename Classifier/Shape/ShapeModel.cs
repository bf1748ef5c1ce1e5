using System.Text.Json;
using System.Text.Json.Serialization;

namespace ShadowMcp.Classifier.Shape;

/// <summary>
/// The shape model over flow-shape features (Scanner/Shape/ShapeFeatures), shipped as a small JSON file
/// (Classifier/Shape/shape-model.json) and retrained by <c>shadowmcp shape train</c>. Either a logistic regression
/// on standardized features (<c>weights</c>) or boosted regression trees (<c>trees</c>, see
/// <see cref="ShapeBoostedTrainer"/>). Scoring walks arrays: no allocation, about a microsecond at most.
/// </summary>
public sealed class ShapeModel
{
    [JsonPropertyName("features")] public required string[] Features { get; init; }
    [JsonPropertyName("mean")] public double[] Mean { get; init; } = [];
    [JsonPropertyName("scale")] public double[] Scale { get; init; } = [];
    [JsonPropertyName("weights")] public double[] Weights { get; init; } = [];
    /// <summary>Boosted trees; when present the score is the logistic of <see cref="Bias"/> plus their values.</summary>
    [JsonPropertyName("trees")] public ShapeTree[]? Trees { get; init; }
    [JsonPropertyName("bias")] public double Bias { get; init; }
    /// <summary>Score at or above which a flow is called MCP (see docs/shape-classifier.md).</summary>
    [JsonPropertyName("threshold")] public double Threshold { get; init; }
    /// <summary>Where the model came from: corpus, split, date. Informational.</summary>
    [JsonPropertyName("trainedOn")] public string? TrainedOn { get; init; }

    private int _gateIndex = -2;

    /// <summary>Where <see cref="ShapeGate"/>'s feature sits in <see cref="Features"/> (-1: no gate).</summary>
    private int GateIndex => _gateIndex == -2 ? _gateIndex = ShapeGate.IndexIn(Features) : _gateIndex;

    private static readonly ShapeModelJson Json = new(new JsonSerializerOptions { WriteIndented = true });
    // Trees are thousands of numbers: one line each would bury the header in the diff.
    private static readonly ShapeModelJson Compact = new(new JsonSerializerOptions { WriteIndented = false });
    // A null where the model declares an array is refused by the reader (a JsonException naming the file below), not
    // left to fail later with a NullReferenceException.
    private static readonly ShapeModelJson Reading = new(new JsonSerializerOptions { RespectNullableAnnotations = true });

    /// <summary>The probability (0..1) that the flow is MCP; 0 when <see cref="ShapeGate"/> shuts it out.</summary>
    public double Score(ReadOnlySpan<float> features)
    {
        if (features.Length != Features.Length)
            throw new ArgumentException($"expected {Features.Length} features, got {features.Length}", nameof(features));
        if (!ShapeGate.Passes(features, GateIndex)) return 0;
        var z = Bias;
        if (Trees is { } trees)
        {
            foreach (var tree in trees) z += tree.Evaluate(features);
        }
        else
        {
            for (var i = 0; i < Weights.Length; i++) z += Weights[i] * ((features[i] - Mean[i]) / Scale[i]);
        }
        return 1 / (1 + Math.Exp(-z));
    }

    /// <summary>The model shipped beside the assembly (copied to the output folder).</summary>
    public static ShapeModel LoadDefault() => Load(Path.Combine(AppContext.BaseDirectory, "shape-model.json"));

    /// <exception cref="InvalidDataException">The file is not a model, or its arrays disagree in length.</exception>
    public static ShapeModel Load(string path)
    {
        ShapeModel? model;
        try
        {
            using var stream = File.OpenRead(path);
            model = JsonSerializer.Deserialize(stream, Reading.ShapeModel);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not a shape model: {e.Message}", e);
        }
        if (model is null) throw new InvalidDataException($"{path}: empty shape model");
        var n = model.Features.Length;
        if (model.Trees is { } trees)
        {
            if (trees.Length == 0 || trees.Any(t => t is null || !t.IsWellFormed(n)))
                throw new InvalidDataException($"{path}: a tree's arrays disagree, or point outside it or the features");
            return model;
        }
        if (model.Mean.Length != n || model.Scale.Length != n || model.Weights.Length != n)
            throw new InvalidDataException(
                $"{path}: features, mean, scale and weights must have the same length ({n})");
        if (model.Scale.Any(s => s <= 0)) throw new InvalidDataException($"{path}: every scale must be positive");
        return model;
    }

    /// <summary>Refuses a model trained on another feature list than the scanner computes.</summary>
    public void CheckFeatures(IReadOnlyList<string> names)
    {
        if (!names.SequenceEqual(Features))
            throw new InvalidDataException(
                "shape model features differ from the scanner's; retrain with `shadowmcp shape train`");
    }

    public void Save(string path) =>
        File.WriteAllText(path, JsonSerializer.Serialize(this, (Trees is null ? Json : Compact).ShapeModel) + "\n");
}

/// <summary>
/// Generated (de)serialization: every scan loads the model, and reflection would build its converters at start-up.
/// </summary>
[JsonSerializable(typeof(ShapeModel))]
internal sealed partial class ShapeModelJson : JsonSerializerContext;
