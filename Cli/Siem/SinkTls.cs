using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace ShadowMcp.Cli.Siem;

/// <summary>TLS client settings shared by the syslog and HEC sinks: the system's trust, or only the CA in `--ca`.</summary>
internal static class SinkTls
{
    /// <exception cref="SiemSinkSettingsException">The CA file cannot be read or holds no certificate.</exception>
    public static SslClientAuthenticationOptions ClientOptions(string targetHost, string? caFile)
    {
        var options = new SslClientAuthenticationOptions { TargetHost = targetHost };
        if (caFile is null) return options;
        var trust = new X509Certificate2Collection();
        try { trust.ImportFromPemFile(caFile); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
        {
            throw new SiemSinkSettingsException($"--ca {caFile}: cannot read a PEM certificate: {e.Message}");
        }
        if (trust.Count == 0) throw new SiemSinkSettingsException($"--ca {caFile}: no certificate in the file");
        options.CertificateChainPolicy = new X509ChainPolicy
        {
            TrustMode = X509ChainTrustMode.CustomRootTrust,
            RevocationMode = X509RevocationMode.NoCheck,
        };
        options.CertificateChainPolicy.CustomTrustStore.AddRange(trust);
        return options;
    }
}
