namespace ShadowMcp.Classifier.Rules;

/// <summary>What a rule's hit contributes: weight (0..1) for confidence, strength for the verdict, and records.</summary>
public sealed class RuleEvidence
{
    public double Weight { get; init; } = 0.5;
    public EvidenceStrength Strength { get; init; } = EvidenceStrength.Weak;
    public IReadOnlyList<RecordSpec> Records { get; init; } = [];
    public EndpointHint Endpoint { get; init; } = EndpointHint.Auto;
    /// <summary>A transport the hit implies (one of Core's Transports), or null.</summary>
    public string? Transport { get; init; }
}
