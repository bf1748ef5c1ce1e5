namespace ShadowMcp.Portal.Upstreams;

internal static class PortalVersion
{
    public static readonly string Value = typeof(PortalVersion).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";
}
