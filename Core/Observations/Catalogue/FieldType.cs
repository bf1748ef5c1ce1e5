namespace ShadowMcp.Core.Observations.Catalogue;

/// <summary>
/// What the text of a field holds. Every value is stored as text; the type says how a rule should compare it
/// (a <c>Number</c> is decimal digits, a <c>Boolean</c> is <c>true</c>/<c>false</c>).
/// </summary>
public enum FieldType
{
    Text,
    Number,
    Boolean,
    /// <summary>An IPv4 or IPv6 address as text (for <c>|cidr</c>).</summary>
    Address,
    /// <summary>A flattened JSON value: its text, or <c>{}</c>/<c>[]</c> for a container.</summary>
    Json,
}
