namespace ShadowMcp.Classifier.Matching;

internal enum MatchOperator
{
    Equals,
    Contains,
    StartsWith,
    EndsWith,
    Regex,
    Cidr,
    Exists,
}
