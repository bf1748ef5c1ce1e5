namespace ShadowMcp.Enforcer.Engine;

public static class ActionResults
{
    public const string Ok = "ok";
    public const string Failed = "failed";
}
