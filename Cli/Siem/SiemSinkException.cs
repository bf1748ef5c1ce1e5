namespace ShadowMcp.Cli.Siem;

/// <summary>A sink did not acknowledge a batch. <see cref="Retryable"/> is false when sending again cannot help
/// (the collector rejects the token or the data).</summary>
internal sealed class SiemSinkException(string message, bool retryable = true, Exception? inner = null) : Exception(message, inner)
{
    public bool Retryable { get; } = retryable;
}
