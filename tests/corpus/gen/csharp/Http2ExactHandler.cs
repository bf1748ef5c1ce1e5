using System.Net;

namespace ShadowMcp.Corpus;

/// <summary>
/// Sends every request as HTTP/2 with RequestVersionExact: over http:// that is h2 with prior knowledge.
/// The SDK builds its own HttpRequestMessages, so HttpClient.DefaultRequestVersion alone would not apply.
/// </summary>
internal sealed class Http2ExactHandler(HttpMessageHandler inner) : DelegatingHandler(inner)
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Version = HttpVersion.Version20;
        request.VersionPolicy = HttpVersionPolicy.RequestVersionExact;
        return base.SendAsync(request, cancellationToken);
    }
}
