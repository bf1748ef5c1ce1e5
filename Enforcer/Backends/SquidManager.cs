using System.Net.Http.Headers;
using System.Text;

namespace ShadowMcp.Enforcer.Backends;

/// <summary>
/// Reads the configuration a running Squid has loaded, through its cache manager (<c>mgr:config</c> at
/// <c>BASE/config</c>, e.g. http://127.0.0.1:3128/squid-internal-mgr/config). Squid must allow it:
/// <c>cachemgr_passwd none config</c> (or a password, given here from an environment variable) and
/// <c>http_access allow localhost manager</c>. Squid 5.7 (Debian 12) crashes on this request unless squid.conf
/// has at least one <c>logformat</c> line (Squid bug 5344), so the docs ask for one.
/// </summary>
internal sealed class SquidManager(Uri baseUrl, string? password, TimeSpan reconfigureWait, TimeProvider time)
{
    // Never through a proxy from the environment: the manager is the local Squid itself. One client for the
    // process, as HttpClient is meant to be used; it holds no per-manager state.
    private static readonly HttpClient Http =
        new(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(10) };

    private Uri ConfigUrl => new(new Uri(baseUrl.ToString().TrimEnd('/') + "/"), "config");

    /// <summary>How long to wait after a reconfigure for Squid to load the new include.</summary>
    public TimeSpan ReconfigureWait => reconfigureWait;

    public TimeProvider Time => time;

    /// <summary>The loaded configuration as Squid prints it.</summary>
    public async Task<string> ReadConfigAsync(CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, ConfigUrl);
        if (password is not null)
            request.Headers.Authorization = new AuthenticationHeaderValue(
                "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("shadowmcp:" + password)));
        HttpResponseMessage response;
        try
        {
            response = await Http.SendAsync(request, ct);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            throw new BackendException($"cannot read Squid's loaded configuration from {ConfigUrl}: {ex.Message}", ex);
        }
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(ct);
            if (!response.IsSuccessStatusCode)
                throw new BackendException(
                    $"Squid's cache manager at {ConfigUrl} answered {(int)response.StatusCode}: allow it with "
                    + "`cachemgr_passwd none config` (or a password in manager_password_env) and "
                    + "`http_access allow localhost manager`");
            return body;
        }
    }
}
