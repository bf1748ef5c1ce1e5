namespace ShadowMcp.Core.Reading;

/// <summary>
/// What the detection limits cost in one capture (a file, a live session or a remote sensor's capture), at its last
/// save: endpoints with finding evidence given up (each a finding lost), endpoints with context only given up, hits
/// filed under a server's <c>/*</c> endpoint without their own path, server addresses whose DNS names were forgotten,
/// clients and names an endpoint stopped listing, and answers for sanctioned names from untrusted resolvers ignored.
/// A flood aimed at pushing evidence out of the sensor's tables shows here.
/// </summary>
public sealed record CaptureLimits(string Source, DateTime ScannedAt, long EndpointsEvicted, long ContextEndpointsEvicted,
    long EndpointHitsFolded, long AddressNamesForgotten, long ClientsDisplaced, long NamesDisplaced, long UntrustedResolverAnswers)
{
    /// <summary>True when a finding itself may be missing (not just a detail of one).</summary>
    public bool FindingsLost => EndpointsEvicted > 0;
}
