namespace ShadowMcp.Core.Observations.Catalogue;

/// <summary>
/// One field of an observation kind. A plain <see cref="Name"/> is the exact path. A name ending in <c>.NAME</c>
/// with <see cref="Names"/> stands for one path per listed name (<c>header.NAME</c>: <c>header.host</c>, ...).
/// With <see cref="OpenBelow"/> the name is the root of flattened JSON: the root itself and any path below it
/// (<c>params</c>, <c>params.clientInfo.name</c>, <c>params[]</c>).
/// </summary>
public sealed record ObservationField(string Name, FieldType Type, FieldCardinality Cardinality, string Meaning)
{
    private const string NamePlaceholder = ".NAME";

    /// <summary>The names a <c>.NAME</c> field takes; null for a plain or open field.</summary>
    public IReadOnlyList<string>? Names { get; init; }

    public bool OpenBelow { get; init; }

    /// <summary>The part before <c>.NAME</c>, with its dot (<c>header.</c>); null for other fields.</summary>
    public string? NamePrefix => Names is null ? null : Name[..^(NamePlaceholder.Length - 1)];

    /// <summary>How a rule writes the field in the generated doc (<c>params.…</c> for an open field).</summary>
    public string DisplayName => OpenBelow ? Name + ".…" : Name;

    /// <summary>True when <paramref name="path"/> is this field (or one of its paths).</summary>
    public bool Accepts(string path)
    {
        if (Names is not null)
        {
            var prefix = NamePrefix!;
            if (!path.StartsWith(prefix, StringComparison.Ordinal)) return false;
            var rest = path.AsSpan(prefix.Length);
            foreach (var name in Names)
                if (rest.SequenceEqual(name)) return true;
            return false;
        }
        if (string.Equals(path, Name, StringComparison.Ordinal)) return true;
        return OpenBelow && path.Length > Name.Length && path.StartsWith(Name, StringComparison.Ordinal)
            && path[Name.Length] is '.' or '[';
    }

    /// <summary>Every concrete path a rule could write for this field (for suggestions); open fields give their root.</summary>
    public IEnumerable<string> ConcretePaths() =>
        Names is null ? [Name] : Names.Select(n => NamePrefix + n);
}
