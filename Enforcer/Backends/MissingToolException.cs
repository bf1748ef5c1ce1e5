namespace ShadowMcp.Enforcer.Backends;

/// <summary>
/// A command-line tool a backend drives is not installed. Names the Debian package that provides it when the tool
/// is one we know (never a guessed package name), else says how to find the package.
/// </summary>
public sealed class MissingToolException(string tool, string? package)
    : BackendException(package is not null
        ? $"'{tool}' was not found on PATH: install it with `apt-get install {package}` (Debian package '{package}')"
        : $"'{tool}' was not found on PATH: `apt-file search --regexp 'bin/{Path.GetFileName(tool)}$'` names the package that provides it")
{
    public string Tool { get; } = tool;
    public string? Package { get; } = package;
}
