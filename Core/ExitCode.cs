namespace ShadowMcp.Core;

/// <summary>
/// Process exit codes of every shadowmcp command, one table for scripts and pipelines: a code means the same
/// thing whichever command returned it.
/// </summary>
public enum ExitCode
{
    Success = 0,
    /// <summary>`--fail-on` matched a finding.</summary>
    FindingsFailOn = 1,
    /// <summary>An input file is missing or unreadable as what it should be: a capture (missing, not a capture,
    /// truncated, corrupt; results so far are still kept), a policy, a week or date, a format or time zone.</summary>
    InvalidInput = 2,
    /// <summary>A rule file does not lint, or a rule's own tests fail.</summary>
    InvalidRules = 3,
    /// <summary>The store cannot be opened, read or written.</summary>
    StoreError = 4,
    /// <summary>enforce: at least one backend failed; the others were still handled.</summary>
    BackendFailed = 5,
    /// <summary>enforce: refused (bad policy or allow list, or a plan that would block a sanctioned endpoint); nothing changed.</summary>
    Rejected = 6,
    /// <summary>audit verify: a row was changed, deleted or reordered.</summary>
    TamperDetected = 7,
    /// <summary>The named token, server or item does not exist.</summary>
    NotFound = 8,
    /// <summary>An output file or directory could not be written.</summary>
    OutputError = 9,
    /// <summary>Bad command-line usage or configuration.</summary>
    Usage = 64,
}
