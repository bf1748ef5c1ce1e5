namespace ShadowMcp.Core.Observations.Catalogue;

/// <summary>How many values one observation may carry for a field; a rule matches when any value matches.</summary>
public enum FieldCardinality
{
    /// <summary>Absent or one value.</summary>
    One,
    /// <summary>Absent, one or several values (array elements, repeated answers).</summary>
    Many,
}
