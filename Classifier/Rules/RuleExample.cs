using ShadowMcp.Core.Observations;

namespace ShadowMcp.Classifier.Rules;

/// <summary>
/// One <c>tests.match</c> / <c>tests.no_match</c> entry, already turned into the observation the Scanner would
/// emit. <see cref="Observation"/> is null when the Scanner would emit nothing (a body that is not JSON-RPC 2.0).
/// </summary>
public sealed class RuleExample
{
    public required bool ExpectMatch { get; init; }
    public Observation? Observation { get; init; }
    public required string Text { get; init; }
    public required int Line { get; init; }
    public required int Column { get; init; }
}
