using ShadowMcp.Core.Observations;

namespace ShadowMcp.Classifier.Conditions;

/// <summary>A compiled <c>condition</c>: and/or/not over selections. <c>1 of x*</c> compiles to an or, <c>all of</c> to an and.</summary>
internal abstract class ConditionNode
{
    public abstract bool Evaluate(Observation observation);
}
