namespace ShadowMcp.Core.Reading;

/// <summary>
/// One capture saved in a period that may be missing findings: packets the kernel or interface dropped before the
/// sensor read them, endpoints with finding evidence the limits gave up, and the details they gave up (hits filed
/// under <c>/*</c>, context-only endpoints, names and clients no longer listed, addresses' names forgotten) or the
/// answers for sanctioned names from untrusted resolvers they ignored.
/// </summary>
public sealed record CaptureLoss(string Source, DateTime SavedAt, long PacketsDropped, long EndpointsGivenUp, long DetailsGivenUp,
    long UntrustedAnswersIgnored);
