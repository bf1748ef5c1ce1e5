namespace ShadowMcp.Classifier.Loading;

/// <summary>One lint finding about a rule file, printed like a compiler message: <c>file:line:column: error: message</c>.</summary>
public sealed record RuleDiagnostic(string File, int Line, int Column, DiagnosticSeverity Severity, string Message)
{
    public bool IsError => Severity == DiagnosticSeverity.Error;

    public override string ToString() =>
        $"{File}:{Line}:{Column}: {(IsError ? "error" : "warning")}: {Message}";
}
