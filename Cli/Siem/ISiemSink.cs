namespace ShadowMcp.Cli.Siem;

/// <summary>
/// Where OCSF events go. <see cref="SendAsync"/> returns only once the receiver has acknowledged the whole batch
/// (each sink says what counts as an acknowledgement), and throws <see cref="SiemSinkException"/> otherwise; the
/// cursor advances only after it returns.
/// </summary>
internal interface ISiemSink : IAsyncDisposable
{
    /// <summary>The sink for messages: never holds a secret.</summary>
    string Display { get; }

    Task SendAsync(IReadOnlyList<SiemEvent> batch, CancellationToken cancellationToken);
}
