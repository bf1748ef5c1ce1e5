namespace ShadowMcp.Portal.CodeMode;

/// <summary>Which half of the codemode API a script sees.</summary>
internal enum SandboxMode
{
    /// <summary>`codemode.tools()` and `codemode.declarations(names)`.</summary>
    Search,

    /// <summary>`codemode.&lt;tool&gt;(args)` for every tool the caller may use.</summary>
    Execute,
}
