namespace ShadowMcp.Classifier.Shape;

/// <summary>One labelled row of the feature table: which session and family it came from, and its features.</summary>
public sealed record ShapeSample(
    string Flow, string Family, string ClientStack, string Transport, bool IsMcp, float[] Features);
