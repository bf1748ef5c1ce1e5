namespace ShadowMcp.Classifier.Rules;

/// <summary>Which endpoint a rule's evidence is filed under.</summary>
public enum EndpointHint
{
    /// <summary><see cref="Host"/> for dns and tls observations, <see cref="Http"/> for the rest.</summary>
    Auto,
    /// <summary>Server address:port plus the HTTP path (query stripped).</summary>
    Http,
    /// <summary>The hostname: DNS name, TLS SNI or HTTP Host.</summary>
    Host,
    /// <summary>Server address:port without a path; context evidence here supports every finding on that server.</summary>
    Server,
}
