using ShadowMcp.Classifier.Rules;
using ShadowMcp.Core.Findings;
using ShadowMcp.Core.Observations;

namespace ShadowMcp.Classifier.Aggregation;

/// <summary>Which endpoint an observation belongs to: server address:port + HTTP path, or a hostname.</summary>
internal static class EndpointResolver
{
    public static bool IsHostKind(string kind) => kind is ObservationKinds.Dns or ObservationKinds.TlsClientHello;

    public static bool IsHttpKind(string kind) =>
        kind.StartsWith("http.", StringComparison.Ordinal)
        || kind.StartsWith("sse.", StringComparison.Ordinal)
        || kind.StartsWith("jsonrpc.", StringComparison.Ordinal);

    /// <summary>The endpoint a rule's hit is filed under, or null when the observation lacks what the hint needs.</summary>
    public static EndpointParts? ForHit(EndpointHint hint, Observation observation)
    {
        if (IsHostKind(observation.Kind) || hint == EndpointHint.Host)
        {
            var name = HostName(observation);
            if (name is not null) return new EndpointParts(null, null, name, null);
            if (IsHostKind(observation.Kind)) return null;
        }
        return hint == EndpointHint.Server
            ? new EndpointParts(observation.Flow.Server, observation.Flow.ServerPort, null, null)
            : HttpParts(observation);
    }

    /// <summary>Server address:port plus the HTTP path the observation belongs to (query stripped).</summary>
    public static EndpointParts HttpParts(Observation observation) =>
        new(observation.Flow.Server, observation.Flow.ServerPort, null, HttpPath(observation));

    public static string? HttpPath(Observation observation)
    {
        var fields = observation.Fields;
        var path = observation.Kind switch
        {
            ObservationKinds.HttpRequest => fields.Get("path") ?? fields.Get("target"),
            ObservationKinds.HttpResponse or ObservationKinds.SseEvent => fields.Get("request.path"),
            _ => fields.Get("http.path"),
        };
        return StripQuery(path);
    }

    public static string? HostName(Observation observation)
    {
        var fields = observation.Fields;
        var name = observation.Kind switch
        {
            ObservationKinds.Dns => fields.Get("name"),
            ObservationKinds.TlsClientHello => fields.Get("sni"),
            ObservationKinds.HttpRequest => fields.Get("host"),
            ObservationKinds.HttpResponse or ObservationKinds.SseEvent => fields.Get("request.host"),
            _ => fields.Get("http.host"),
        };
        return string.IsNullOrEmpty(name) ? null : name.ToLowerInvariant();
    }

    public static string? StripQuery(string? path)
    {
        if (string.IsNullOrEmpty(path)) return null;
        // The span overload: string.IndexOfAny with a collection expression makes a char array per call.
        var cut = path.AsSpan().IndexOfAny('?', '#');
        return cut switch
        {
            0 => "/",
            > 0 => path[..cut],
            _ => path,
        };
    }

    /// <summary>
    /// The path a legacy SSE <c>endpoint</c> event points POSTs at: an absolute URL, an absolute path, or a path
    /// relative to the stream's own path. The port is the URL's when it names one.
    /// </summary>
    public static (string Path, int? Port)? MessagePath(string url, string? streamPath)
    {
        url = url.Trim();
        if (url.Length == 0) return null;
        if (url.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || url.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri)) return null;
            return (uri.AbsolutePath, uri.IsDefaultPort ? null : uri.Port);
        }
        var path = StripQuery(url);
        if (path is null) return null;
        if (path.StartsWith('/')) return (path, null);
        var baseDir = streamPath is null ? "/" : streamPath[..(streamPath.LastIndexOf('/') + 1)];
        return (baseDir + path, null);
    }
}
