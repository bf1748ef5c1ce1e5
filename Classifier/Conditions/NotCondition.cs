using ShadowMcp.Core.Observations;

namespace ShadowMcp.Classifier.Conditions;

internal sealed class NotCondition(ConditionNode operand) : ConditionNode
{
    public ConditionNode Operand { get; } = operand;

    public override bool Evaluate(Observation observation) => !Operand.Evaluate(observation);

    public override string ToString() => $"not {Operand}";
}
