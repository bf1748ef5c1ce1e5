using System.Collections;
using ShadowMcp.Portal.Config;

namespace ShadowMcp.Portal.Upstreams;

/// <summary>
/// The environment a stdio upstream starts with: nothing of the portal's own (its OAuth secret, cloud
/// credentials, tokens) except PATH, plus what the upstream's config names: literal values (env), values of
/// named portal variables (envFrom) and file contents (secretFiles). Built at each start, so it reflects what
/// the portal's environment and the files hold then.
/// </summary>
internal static class ChildEnvironment
{
    /// <returns>Every variable the child would inherit, mapped to null (removed) unless declared.</returns>
    /// <exception cref="UpstreamUnavailableException">A named variable is not set or a secret file cannot be read.</exception>
    public static Dictionary<string, string?> For(UpstreamConfig upstream)
    {
        var env = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (DictionaryEntry e in Environment.GetEnvironmentVariables()) env[(string)e.Key] = null;
        if (Environment.GetEnvironmentVariable("PATH") is { } path) env["PATH"] = path;
        foreach (var (name, value) in upstream.Env) env[name] = value;
        foreach (var (name, source) in upstream.EnvFrom)
        {
            env[name] = Environment.GetEnvironmentVariable(source)
                ?? throw new UpstreamUnavailableException(upstream.Id, $"envFrom {name}: the portal's variable {source} is not set");
        }
        foreach (var (name, file) in upstream.SecretFiles)
        {
            try { env[name] = File.ReadAllText(file).TrimEnd('\r', '\n'); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The message names the file, never its content.
                throw new UpstreamUnavailableException(upstream.Id, $"secretFiles {name}: cannot read {file}: {e.Message}");
            }
        }
        return env;
    }
}
