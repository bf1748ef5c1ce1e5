namespace ShadowMcp.Portal.Config;

/// <summary>
/// Where the audit log's secrets live and where its signed checkpoints go. The keys stay outside the store: a
/// file (created with mode 0600 on first start when absent; default next to the store) or, for the HMAC key, an
/// environment variable. Checkpoints go to places the portal cannot rewrite: an append-only file (chattr +a, or
/// on another mount) and/or syslog.
/// </summary>
public sealed class AuditSettings
{
    /// <summary>File holding the HMAC key for row hashes (hex). Default: portal-audit.key beside the store.</summary>
    public string? KeyFile { get; set; }

    /// <summary>Environment variable holding the HMAC key (hex or base64); wins over keyFile when set.</summary>
    public string? KeyEnv { get; set; }

    /// <summary>Ed25519 signing key for checkpoints (hex seed); its public key goes to the same path + ".pub".
    /// Default: portal-checkpoint.key beside the store.</summary>
    public string? SigningKeyFile { get; set; }

    /// <summary>Append-only file that receives one signed checkpoint per line.</summary>
    public string? CheckpointFile { get; set; }

    /// <summary>Send checkpoints to the local syslog (the Unix datagram socket below).</summary>
    public bool CheckpointSyslog { get; set; }

    public string SyslogSocket { get; set; } = "/dev/log";

    /// <summary>
    /// Audit rows that may wait in memory for the writer. When this many are queued, calls wait for room before they
    /// return (they slow to the rate the store commits at) instead of the backlog growing: a crash loses at most
    /// this many rows. Each queued row holds a few hundred bytes (more with auditArguments).
    /// </summary>
    public int QueueLimit { get; set; } = 10_000;

    /// <summary>How often a checkpoint is written (when rows were added); one is also written on shutdown.</summary>
    public int CheckpointSeconds { get; set; } = 300;
}
