namespace ShadowMcp.Classifier.Shape;

/// <summary>How <see cref="ShapeBoostedTrainer"/> scores look-alikes to choose the model's threshold.</summary>
public enum ShapeThresholdRule
{
    /// <summary>
    /// Out-of-fold scores, folds by server: the rule of the fifth model and earlier. Every look-alike family is in
    /// every fold, so it bounds false positives on families the model has seen.
    /// </summary>
    ServerFolds,

    /// <summary>
    /// Each look-alike scored by a model trained without its whole family: bounds false positives on families never
    /// seen (the ninth round, docs/shape-classifier.md). The shipped model's rule since the sixth version, and the
    /// trainer's default. Costs one fit per family.
    /// </summary>
    UnseenFamilies,
}
