using System.Diagnostics;

namespace ShadowMcp.Portal.Telemetry;

/// <summary>
/// The portal's spans: one per request through the pipeline, child of the caller's HTTP request (whose W3C
/// traceparent ASP.NET Core continues), parent of the upstream HTTP request (HttpClient sends it on as traceparent).
/// </summary>
internal static class PortalTracing
{
    public const string SourceName = "ShadowMcp.Portal";

    public static readonly ActivitySource Source = new(SourceName);
}
