using ShadowMcp.Core.Observations;

namespace ShadowMcp.Classifier.Conditions;

internal sealed class OrCondition(IReadOnlyList<ConditionNode> operands) : ConditionNode
{
    // An array, walked by index: evaluation runs per observation and per rule, and must not allocate.
    private readonly ConditionNode[] _operands = [.. operands];

    public IReadOnlyList<ConditionNode> Operands => _operands;

    public override bool Evaluate(Observation observation)
    {
        foreach (var operand in _operands)
            if (operand.Evaluate(observation)) return true;
        return false;
    }

    public override string ToString() => $"({string.Join(" or ", Operands)})";
}
