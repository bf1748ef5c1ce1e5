using ShadowMcp.Core.Observations;

namespace ShadowMcp.Classifier.Rules;

/// <summary>One compiled detection rule from a YAML file under rules/.</summary>
public sealed class Rule
{
    public static readonly IReadOnlyList<string> Levels = ["informational", "low", "medium", "high", "critical"];
    public static readonly IReadOnlyList<string> Statuses = ["experimental", "test", "stable"];

    public required string Id { get; init; }
    public required string Title { get; init; }
    public string Description { get; init; } = "";
    public string Status { get; init; } = "experimental";
    public required string Level { get; init; }
    public IReadOnlyList<string> References { get; init; } = [];
    public IReadOnlyList<string> FalsePositives { get; init; } = [];
    /// <summary>An observation kind, or a family such as <c>jsonrpc</c>.</summary>
    public required string Observation { get; init; }
    internal Detection Detection { get; init; } = null!;
    public required RuleEvidence Evidence { get; init; }
    public IReadOnlyList<RuleExample> Examples { get; init; } = [];
    public required string File { get; init; }
    public int Line { get; init; }
    public int Column { get; init; }

    public string ConditionText => Detection.ConditionText;

    public bool AppliesTo(string observationKind) => ObservationKinds.Matches(Observation, observationKind);

    /// <summary>True when the observation is of the rule's kind and its condition holds.</summary>
    public bool Matches(Observation observation) =>
        AppliesTo(observation.Kind) && ConditionHolds(observation);

    /// <summary>The condition alone, for callers that already picked the rules of the observation's kind.</summary>
    internal bool ConditionHolds(Observation observation) => Detection.Condition.Evaluate(observation);

    public override string ToString() => $"{Id} ({File}:{Line})";
}
