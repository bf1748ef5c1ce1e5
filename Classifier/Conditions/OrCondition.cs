using ShadowMcp.Core.Observations;

namespace ShadowMcp.Classifier.Conditions;

internal sealed class OrCondition(IReadOnlyList<ConditionNode> operands) : ConditionNode
{
    public IReadOnlyList<ConditionNode> Operands { get; } = operands;

    public override bool Evaluate(Observation observation)
    {
        foreach (var operand in Operands)
            if (operand.Evaluate(observation)) return true;
        return false;
    }

    public override string ToString() => $"({string.Join(" or ", Operands)})";
}
