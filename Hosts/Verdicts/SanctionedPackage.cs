using ShadowMcp.Hosts.Packages;

namespace ShadowMcp.Hosts.Verdicts;

/// <summary>
/// A package the organisation approved, from the settings file's <c>sanctioned</c> list:
/// <c>{"package": "npm:@modelcontextprotocol/server-github", "versions": "^2025.4"}</c>. Without a version range
/// any version is approved; with one, the launch must pin a version inside it (an unpinned <c>npx pkg</c> runs
/// whatever is newest, so it cannot be known to be inside).
/// </summary>
public sealed record SanctionedPackage(string Ecosystem, string Name, VersionRange? Versions, string Reason)
{
    /// <summary>Parses "npm:name", "pypi:name", "oci:image", "nuget:Id" or "local:/path"; an "@version" suffix is an exact pin.</summary>
    public static SanctionedPackage Parse(string id, string? versions, string? reason)
    {
        var colon = id.IndexOf(':');
        if (colon <= 0) throw new FormatException($"package '{id}': write it as ecosystem:name (npm, pypi, oci, nuget, local)");
        var ecosystem = id[..colon].ToLowerInvariant() switch
        {
            "npm" => Ecosystems.Npm,
            "pypi" or "pip" => Ecosystems.PyPi,
            "oci" or "docker" => Ecosystems.Oci,
            "nuget" => Ecosystems.NuGet,
            "local" => Ecosystems.Local,
            var other => throw new FormatException($"package '{id}': unknown ecosystem '{other}' (npm, pypi, oci, nuget, local)"),
        };
        var spec = id[(colon + 1)..];
        var (name, pinned) = ecosystem switch
        {
            Ecosystems.Npm => PackageSpecs.Npm(spec),
            Ecosystems.PyPi => PackageSpecs.PyPi(spec),
            Ecosystems.Oci => PackageSpecs.Oci(spec),
            Ecosystems.NuGet => PackageSpecs.NuGet(spec),
            _ => (spec, null),
        };
        if (name.Length == 0) throw new FormatException($"package '{id}' has no name");
        var range = versions is { Length: > 0 } ? VersionRange.Parse(versions) : pinned is not null ? VersionRange.Parse("=" + pinned) : null;
        return new SanctionedPackage(ecosystem, name, range, reason ?? "sanctioned package");
    }

    public bool Matches(PackageRef package)
    {
        if (package.Ecosystem != Ecosystem) return false;
        // npm and OCI names are case-sensitive by rule but written lower-case; PyPI and NuGet are case-insensitive.
        var comparison = Ecosystem is Ecosystems.Npm or Ecosystems.Local ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase;
        if (!string.Equals(NormalName(package.Name), NormalName(Name), comparison)) return false;
        return Versions is null || package.Version is { } v && Versions.Contains(v);
    }

    /// <summary>PyPI treats '-', '_' and '.' alike; Docker Hub images may be written with or without docker.io/library/.</summary>
    private string NormalName(string name) => Ecosystem switch
    {
        Ecosystems.PyPi => name.Replace('_', '-').Replace('.', '-'),
        Ecosystems.Oci => name.StartsWith("docker.io/library/", StringComparison.Ordinal) ? name["docker.io/library/".Length..]
            : name.StartsWith("docker.io/", StringComparison.Ordinal) ? name["docker.io/".Length..] : name,
        _ => name,
    };

    public override string ToString() => Versions is null ? $"{Ecosystem}:{Name}" : $"{Ecosystem}:{Name} {Versions}";
}
