namespace ShadowMcp.Hosts.Packages;

/// <summary>Splits a package spec as each ecosystem writes it into name and version.</summary>
internal static class PackageSpecs
{
    /// <summary>"@scope/name@1.2.3", "name@^1", "name" (npm; also bunx and pnpm dlx).</summary>
    public static (string Name, string? Version) Npm(string spec)
    {
        var at = spec.IndexOf('@', spec.StartsWith('@') ? 1 : 0);
        return at < 0 ? (spec, null) : (spec[..at], Tag(spec[(at + 1)..]));
    }

    /// <summary>"name==1.2", "name@1.2" (uvx), "name[extra]>=1", "name".</summary>
    public static (string Name, string? Version) PyPi(string spec)
    {
        var end = spec.IndexOfAny(['=', '@', '<', '>', '~', '!', '[', ';', ' ']);
        if (end < 0) return (spec, null);
        var name = spec[..end];
        var rest = spec[end..];
        if (rest.StartsWith('['))
        {
            var close = rest.IndexOf(']');
            rest = close < 0 ? "" : rest[(close + 1)..];
        }
        rest = rest.TrimStart('=', '@', ' ');
        return (name, rest.Length == 0 ? null : Tag(rest));
    }

    /// <summary>"ghcr.io/org/image:tag", "image@sha256:...", "image".</summary>
    public static (string Name, string? Version) Oci(string image)
    {
        var at = image.IndexOf('@');
        if (at >= 0) return (image[..at], image[(at + 1)..]);
        var colon = image.LastIndexOf(':');
        // A colon before the last '/' is a registry port (localhost:5000/x), not a tag.
        if (colon > image.LastIndexOf('/')) return (image[..colon], Tag(image[(colon + 1)..]));
        return (image, null);
    }

    /// <summary>"Package.Id@1.2.3" or "Package.Id".</summary>
    public static (string Name, string? Version) NuGet(string spec)
    {
        var at = spec.IndexOf('@');
        return at < 0 ? (spec, null) : (spec[..at], Tag(spec[(at + 1)..]));
    }

    /// <summary>"latest" names no version: the launch is not pinned.</summary>
    private static string? Tag(string version) =>
        version.Length == 0 || version.Equals("latest", StringComparison.OrdinalIgnoreCase) ? null : version;
}
