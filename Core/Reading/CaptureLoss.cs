namespace ShadowMcp.Core.Reading;

/// <summary>
/// One capture saved in a period that may be missing findings: packets the kernel or interface dropped before the
/// sensor read them or endpoints with finding evidence the limits gave up; with the details they gave up too (hits
/// filed under <c>/*</c>, context-only endpoints, names and clients no longer listed, addresses' names forgotten) and
/// the answers for sanctioned names from untrusted resolvers they ignored, which alone lose no finding.
/// </summary>
public sealed record CaptureLoss(string Source, DateTime SavedAt, long PacketsDropped, long EndpointsGivenUp, long DetailsGivenUp,
    long UntrustedAnswersIgnored);
