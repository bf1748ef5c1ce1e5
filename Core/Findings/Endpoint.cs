namespace ShadowMcp.Core.Findings;

/// <summary>
/// What a finding is about: a server address:port plus HTTP path, or a hostname (for DNS and TLS evidence,
/// which never show a path). Findings are aggregated per <see cref="Key"/>.
/// </summary>
public sealed record Endpoint(string? Address, int? Port, string? Host, string? Path)
{
    public string Key => KeyOf(Address, Port, Host, Path);

    /// <summary>The key an endpoint of these parts has, without making the endpoint (the aggregator's hot path).</summary>
    // Written without a nullable in the interpolation: formatting an int? boxes it, once per key on the packet path.
    public static string KeyOf(string? address, int? port, string? host, string? path) => address is null ? string.Concat(host, path)
        : address.Contains(':')
            ? port is { } v6Port ? $"[{address}]:{v6Port}{path}" : $"[{address}]:{path}"
            : port is { } p ? $"{address}:{p}{path}" : $"{address}:{path}";

    public override string ToString() => Host is not null && Address is not null ? $"{Key} ({Host})" : Key;
}
