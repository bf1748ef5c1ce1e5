namespace ShadowMcp.Enforcer.Store;

/// <summary>
/// One thing the Enforcer did to one backend: who, what, when, where, and how it went. <see cref="BeforeJson"/>
/// is the backend's full state just before the action, so a rollback can restore it exactly.
/// </summary>
public sealed class ActionRow
{
    public long Id { get; set; }
    /// <summary>All actions of one apply/rollback/expire run share a run id.</summary>
    public required string RunId { get; set; }
    public DateTime At { get; set; }
    public required string Actor { get; set; }
    /// <summary>apply, rollback or expire.</summary>
    public required string Command { get; set; }
    public required string Backend { get; set; }
    /// <summary>pending (intent written, outcome not yet), ok or failed.</summary>
    public required string Result { get; set; }
    public string? Error { get; set; }
    public string AddedJson { get; set; } = "[]";
    public string RemovedJson { get; set; } = "[]";
    public string BeforeJson { get; set; } = "[]";
    /// <summary>False when the backend could not be read, so Before/After are not its real state and rollback skips the row.</summary>
    public bool StateKnown { get; set; } = true;
    public string AfterJson { get; set; } = "[]";
    /// <summary>The state the action set out to reach, written before the backend was touched.</summary>
    public string? IntentJson { get; set; }
    /// <summary>File backends: the file's bytes before (base64; "-" when it did not exist), for a byte-exact restore.</summary>
    public string? BeforeFile { get; set; }
    /// <summary>The enforcer process that wrote the intent, and its start time (clock ticks since boot), so the
    /// next run can tell a dead run's leftover children from a live run.</summary>
    public int? RunnerPid { get; set; }
    public long? RunnerStart { get; set; }
    /// <summary>Rollback rows: the action whose state before this row restored on its backend. That action and every
    /// later one on the same backend up to this row are rolled back; null on other rows and on rows older than it.</summary>
    public long? RollsBackTo { get; set; }
}
