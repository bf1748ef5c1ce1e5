namespace ShadowMcp.Classifier.Loading;

public enum DiagnosticSeverity
{
    Error,
    Warning,
}
