namespace ShadowMcp.Core.Findings;

/// <summary>
/// What a finding is about: a server address:port plus HTTP path, or a hostname (for DNS and TLS evidence,
/// which never show a path). Findings are aggregated per <see cref="Key"/>.
/// </summary>
public sealed record Endpoint(string? Address, int? Port, string? Host, string? Path)
{
    // Written without a nullable in the interpolation: formatting an int? boxes it, once per key on the packet path.
    public string Key => Address is null ? string.Concat(Host, Path)
        : Address.Contains(':')
            ? Port is { } v6Port ? $"[{Address}]:{v6Port}{Path}" : $"[{Address}]:{Path}"
            : Port is { } port ? $"{Address}:{port}{Path}" : $"{Address}:{Path}";

    public override string ToString() => Host is not null && Address is not null ? $"{Key} ({Host})" : Key;
}
