namespace ShadowMcp.Admin.Html;

/// <summary>Markup that is already safe (built by the page code, never from stored data); written without encoding.</summary>
internal readonly record struct HtmlRaw(string Value)
{
    public override string ToString() => Value;
}
