namespace ShadowMcp.Reports.Cli;

public enum ReportExitCode
{
    Ok = 0,
    /// <summary>The store could not be opened or read.</summary>
    StoreError = 1,
    /// <summary>Bad arguments: unknown week, bad dates, unknown format or time zone.</summary>
    BadInput = 2,
    /// <summary>The output directory could not be written.</summary>
    OutputError = 3,
}
