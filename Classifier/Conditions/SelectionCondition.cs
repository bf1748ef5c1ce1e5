using ShadowMcp.Classifier.Matching;
using ShadowMcp.Core.Observations;

namespace ShadowMcp.Classifier.Conditions;

internal sealed class SelectionCondition(Selection selection) : ConditionNode
{
    public Selection Selection { get; } = selection;

    public override bool Evaluate(Observation observation) => Selection.Matches(observation);

    public override string ToString() => Selection.Name;
}
