using ShadowMcp.Core.Observations;

namespace ShadowMcp.Classifier.Conditions;

internal sealed class AndCondition(IReadOnlyList<ConditionNode> operands) : ConditionNode
{
    public IReadOnlyList<ConditionNode> Operands { get; } = operands;

    public override bool Evaluate(Observation observation)
    {
        foreach (var operand in Operands)
            if (!operand.Evaluate(observation)) return false;
        return true;
    }

    public override string ToString() => $"({string.Join(" and ", Operands)})";
}
