using ShadowMcp.Portal.Auth;
using ShadowMcp.Portal.Config;
using ShadowMcp.Portal.Store;

namespace ShadowMcp.Portal.Hosting;

/// <summary>The portal's configuration and long-lived services that authentication needs before DI scopes exist.</summary>
internal sealed class PortalRuntime
{
    public PortalRuntime(PortalConfig config, PortalStore store, TimeProvider time, HttpClient jwksHttp)
    {
        Config = config;
        Store = store;
        Tokens = new ApiTokens(store, time);
        if (config.Auth.Jwt is { } jwt) Jwt = new JwtValidator(jwt, new JwksCache(jwksHttp, jwt.JwksUrl, time), time);
    }

    public PortalConfig Config { get; }
    public PortalStore Store { get; }
    public ApiTokens Tokens { get; }
    public JwtValidator? Jwt { get; }
}
