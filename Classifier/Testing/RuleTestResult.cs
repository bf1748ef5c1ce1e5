namespace ShadowMcp.Classifier.Testing;

/// <summary>The outcome of one rule example: which rule, where the example is written, and what happened.</summary>
public sealed record RuleTestResult(string RuleId, string File, int Line, int Column, bool ExpectMatch, bool Passed, string Example)
{
    public override string ToString() =>
        $"{File}:{Line}:{Column}: {(Passed ? "pass" : "FAIL")}: {RuleId} {(ExpectMatch ? "match" : "no_match")}: {Example}";
}
