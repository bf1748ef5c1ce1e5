using ShadowMcp.Enforcer.Policy;
using ShadowMcp.Enforcer.Store;

namespace ShadowMcp.Enforcer.Backends;

/// <summary>Builds the configured backends from the policy's <c>backends:</c> list.</summary>
public static class BackendFactory
{
    public static IReadOnlyList<IEnforcementBackend> Create(EnforcementPolicy policy, EnforcerStore store, TimeProvider time)
    {
        var list = new List<IEnforcementBackend>();
        foreach (var s in policy.Backends)
        {
            list.Add(s.Type switch
            {
                "nftables" => new NftablesBackend(
                    s.Name, s.GetList("command", ["nft"]), "inet", s.Get("table") ?? "shadowmcp",
                    s.Get("action") ?? Planning.BlockActions.Drop, s.Get("scope") == "address"),
                "unbound" => new UnboundBackend(s.Name, s.Require("path"), s.GetList("reload", ["unbound-control", "reload"]),
                    int.Parse(s.Get("ttl") ?? "60", System.Globalization.CultureInfo.InvariantCulture),
                    s.GetList("control", []) is { Count: > 0 } control ? control : null),
                "rpz" => new RpzBackend(s.Name, s.Require("path"), s.GetList("reload", []), s.Get("zone") ?? "rpz.shadowmcp", time),
                "dnsmasq" => new DnsmasqBackend(s.Name, s.Require("path"), s.GetList("reload", [])),
                "hosts" => new HostsFileBackend(s.Name, s.Require("path")),
                "webhook" => new WebhookBackend(
                    s.Name, AbsoluteUri(s, "url"), Secret(s), Int(s, "retries", 3), TimeSpan.FromMilliseconds(Int(s, "backoff_ms", 500)),
                    TimeSpan.FromMilliseconds(Int(s, "timeout_ms", 5000)), store, time),
                "cloudflare" => new CloudflareGatewayBackend(
                    s.Name, new Uri((s.Get("url") ?? "https://api.cloudflare.com/client/v4").TrimEnd('/') + "/"), s.Require("account_id"),
                    Token(s), policy.Portal.Url),
                "squid" => new SquidBackend(s.Name, s.Require("path"), s.GetList("reconfigure", ["squid", "-k", "reconfigure"]),
                    s.Get("deny_info"), s.Get("scope") == "host", SquidManager(s, time)),
                _ => throw new PolicyException($"{s.Origin}: backend type '{s.Type}' is not available in this build"),
            });
        }
        return list;
    }

    /// <summary>Squid's cache manager, when configured, so the backend reports what Squid has loaded.</summary>
    private static SquidManager? SquidManager(BackendSettings s, TimeProvider time)
    {
        if (s.Get("manager") is null) return null;
        var url = AbsoluteUri(s, "manager");
        string? password = null;
        if (s.Get("manager_password_env") is { } env)
        {
            password = Environment.GetEnvironmentVariable(env);
            if (string.IsNullOrEmpty(password))
                throw new PolicyException(
                    $"{s.Origin}: backend '{s.Name}': environment variable {env} (the cache manager password) "
                    + "is not set");
        }
        return new SquidManager(url, password, TimeSpan.FromMilliseconds(Int(s, "reconfigure_wait_ms", 10_000)), time);
    }

    private static int Int(BackendSettings s, string key, int fallback) =>
        s.Get(key) is { } v ? int.Parse(v, System.Globalization.CultureInfo.InvariantCulture) : fallback;

    private static Uri AbsoluteUri(BackendSettings s, string key) =>
        Uri.TryCreate(s.Require(key), UriKind.Absolute, out var u) && u.Scheme is "http" or "https"
            ? u
            : throw new PolicyException($"{s.Origin}: backend '{s.Name}': '{key}' must be an http(s) URL");

    /// <summary>The HMAC key comes from an environment variable so it never sits in the policy file.</summary>
    private static byte[]? Secret(BackendSettings s)
    {
        if (s.Get("secret_env") is not { } env) return null;
        var value = Environment.GetEnvironmentVariable(env);
        return string.IsNullOrEmpty(value)
            ? throw new PolicyException($"{s.Origin}: backend '{s.Name}': environment variable {env} (the signing secret) is not set")
            : System.Text.Encoding.UTF8.GetBytes(value);
    }

    private static string Token(BackendSettings s)
    {
        var env = s.Get("token_env") ?? "CLOUDFLARE_API_TOKEN";
        var value = Environment.GetEnvironmentVariable(env);
        return string.IsNullOrEmpty(value)
            ? throw new PolicyException($"{s.Origin}: backend '{s.Name}': environment variable {env} (the API token) is not set")
            : value;
    }
}
