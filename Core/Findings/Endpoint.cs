namespace ShadowMcp.Core.Findings;

/// <summary>
/// What a finding is about: a server address:port plus HTTP path, or a hostname (for DNS and TLS evidence,
/// which never show a path). Findings are aggregated per <see cref="Key"/>.
/// </summary>
public sealed record Endpoint(string? Address, int? Port, string? Host, string? Path)
{
    public string Key => Address is not null
        ? $"{(Address.Contains(':') ? $"[{Address}]" : Address)}:{Port}{Path}"
        : $"{Host}{Path}";

    public override string ToString() => Host is not null && Address is not null ? $"{Key} ({Host})" : Key;
}
