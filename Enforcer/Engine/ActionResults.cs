namespace ShadowMcp.Enforcer.Engine;

public static class ActionResults
{
    public const string Ok = "ok";
    public const string Failed = "failed";
    /// <summary>Intent recorded, backend being changed; a pending row at start means the run was killed.</summary>
    public const string Pending = "pending";
}
