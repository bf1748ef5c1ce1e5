namespace ShadowMcp.Classifier.Conditions;

/// <summary>A condition that does not parse; <see cref="Offset"/> is the 0-based character offset in the condition text.</summary>
internal sealed class ConditionSyntaxException(string message, int offset) : Exception(message)
{
    public int Offset { get; } = offset;
}
