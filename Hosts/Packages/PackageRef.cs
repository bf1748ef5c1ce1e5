namespace ShadowMcp.Hosts.Packages;

/// <summary>
/// What a stdio server runs: an ecosystem (<see cref="Ecosystems"/>), the package or image name, the version when the
/// launch pins one, and the launcher that fetches it (npx, uvx, docker, dnx...).
/// </summary>
public sealed record PackageRef(string Ecosystem, string Name, string? Version, string Launcher)
{
    /// <summary>"npm:@scope/name@1.2.3", "pypi:mcp-server-fetch", "oci:ghcr.io/github/github-mcp-server:v1".</summary>
    public string Id => Ecosystem switch
    {
        Ecosystems.Oci => Version is null ? $"oci:{Name}" : $"oci:{Name}{(Version.StartsWith("sha256:", StringComparison.Ordinal) ? "@" : ":")}{Version}",
        _ => Version is null ? $"{Ecosystem}:{Name}" : $"{Ecosystem}:{Name}@{Version}",
    };

    public override string ToString() => Id;
}

public static class Ecosystems
{
    public const string Npm = "npm";
    public const string PyPi = "pypi";
    public const string Oci = "oci";
    public const string NuGet = "nuget";
    /// <summary>A program or script on the machine itself.</summary>
    public const string Local = "local";
}
