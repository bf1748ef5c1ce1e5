namespace ShadowMcp.Cli.Configuration;

/// <summary>
/// Where a command's bearer token comes from, in one order for every command that sends one (a sensor reporting to
/// its centre, a host scan reporting, a Splunk HEC sink): a value given outright, else a file (so it stays out of
/// <c>ps</c>), else an environment variable. Trimmed; blank counts as none.
/// </summary>
internal static class TokenSource
{
    /// <summary>The token, or null with <paramref name="error"/> set when the file cannot be read (null error: none given).</summary>
    /// <param name="fileOption">The option that named the file, for the error (e.g. <c>--token-file</c>).</param>
    public static string? Read(string? value, string? file, string fileOption, string variable, out string? error)
    {
        error = null;
        var token = value;
        if (string.IsNullOrWhiteSpace(token) && file is not null)
        {
            try { token = File.ReadAllText(file); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                error = $"{fileOption} {file}: cannot read it: {e.Message}";
                return null;
            }
        }
        if (string.IsNullOrWhiteSpace(token) && file is null) token = Environment.GetEnvironmentVariable(variable);
        return string.IsNullOrWhiteSpace(token) ? null : token.Trim();
    }
}
