namespace ShadowMcp.Core.Observations.Catalogue;

/// <summary>One observation kind: when the Scanner emits it and the fields it may carry.</summary>
public sealed record ObservationKindSpec(string Kind, string Meaning, IReadOnlyList<ObservationField> Fields)
{
    public ObservationField? FieldFor(string path)
    {
        foreach (var field in Fields)
            if (field.Accepts(path)) return field;
        return null;
    }
}
