using ShadowMcp.Classifier.Conditions;
using ShadowMcp.Classifier.Matching;

namespace ShadowMcp.Classifier.Rules;

/// <summary>A rule's named selections and the compiled condition over them.</summary>
internal sealed class Detection(IReadOnlyDictionary<string, Selection> selections, ConditionNode condition, string conditionText)
{
    public IReadOnlyDictionary<string, Selection> Selections { get; } = selections;
    public ConditionNode Condition { get; } = condition;
    public string ConditionText { get; } = conditionText;
}
