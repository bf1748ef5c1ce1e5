namespace ShadowMcp.Enforcer.Backends;

/// <summary>A command-line tool a backend drives is not installed; names the Debian package that provides it.</summary>
public sealed class MissingToolException(string tool, string package)
    : BackendException($"'{tool}' was not found on PATH: install it with `apt-get install {package}` (Debian package '{package}')")
{
    public string Tool { get; } = tool;
    public string Package { get; } = package;
}
