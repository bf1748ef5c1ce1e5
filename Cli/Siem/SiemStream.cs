namespace ShadowMcp.Cli.Siem;

/// <summary>The three kinds of record the SIEM export delivers, each with its own cursor (docs/siem.md).</summary>
internal enum SiemStream
{
    /// <summary>Portal audit rows: append-only and hash-chained, so the cursor is the last delivered sequence number.</summary>
    Audit,
    /// <summary>Enforcer action log rows: appended pending, then completed once (ok or failed).</summary>
    Actions,
    /// <summary>Findings: one per endpoint, changed in place by every scan that sees the endpoint again.</summary>
    Findings,
}
