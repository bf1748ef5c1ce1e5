using System.Text.Json;
using System.Text.Json.Serialization;

namespace ShadowMcp.Classifier.Shape;

/// <summary>
/// A logistic-regression model over standardized flow-shape features (Scanner/Shape/ShapeFeatures), shipped as
/// a small JSON file (Classifier/Shape/shape-model.json) and retrained by <c>shadowmcp shape train</c>.
/// Scoring is a dot product: no allocation, well under a microsecond.
/// </summary>
public sealed class ShapeModel
{
    [JsonPropertyName("features")] public required string[] Features { get; init; }
    [JsonPropertyName("mean")] public required double[] Mean { get; init; }
    [JsonPropertyName("scale")] public required double[] Scale { get; init; }
    [JsonPropertyName("weights")] public required double[] Weights { get; init; }
    [JsonPropertyName("bias")] public double Bias { get; init; }
    /// <summary>Score at or above which a flow is called MCP (see docs/shape-classifier.md).</summary>
    [JsonPropertyName("threshold")] public double Threshold { get; init; }
    /// <summary>Where the model came from: corpus, split, date. Informational.</summary>
    [JsonPropertyName("trainedOn")] public string? TrainedOn { get; init; }

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    /// <summary>The probability (0..1) that the flow is MCP.</summary>
    public double Score(ReadOnlySpan<float> features)
    {
        if (features.Length != Weights.Length)
            throw new ArgumentException($"expected {Weights.Length} features, got {features.Length}", nameof(features));
        var z = Bias;
        for (var i = 0; i < Weights.Length; i++) z += Weights[i] * ((features[i] - Mean[i]) / Scale[i]);
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
            model = JsonSerializer.Deserialize<ShapeModel>(stream);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not a shape model: {e.Message}", e);
        }
        if (model is null) throw new InvalidDataException($"{path}: empty shape model");
        var n = model.Features.Length;
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

    public void Save(string path) => File.WriteAllText(path, JsonSerializer.Serialize(this, Json) + "\n");
}
