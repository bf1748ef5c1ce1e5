namespace ShadowMcp.Enforcer.Planning;

/// <summary>The action words a <see cref="BlockEntry"/> carries.</summary>
public static class BlockActions
{
    /// <summary>nftables: drop silently.</summary>
    public const string Drop = "drop";
    /// <summary>nftables: answer TCP with a reset so clients fail fast.</summary>
    public const string Reset = "reset";
    /// <summary>Name-based backends: refuse (NXDOMAIN, 0.0.0.0, proxy deny).</summary>
    public const string Block = "block";
    /// <summary>Name-based backends: answer with the portal. Full form: "redirect=10.0.0.10,fd00::10".</summary>
    public const string RedirectPrefix = "redirect=";

    public static string Redirect(IEnumerable<string> addresses) => RedirectPrefix + string.Join(',', addresses);

    public static bool IsRedirect(string action) => action.StartsWith(RedirectPrefix, StringComparison.Ordinal);

    public static string[] RedirectTargets(string action) =>
        IsRedirect(action) ? action[RedirectPrefix.Length..].Split(',', StringSplitOptions.RemoveEmptyEntries) : [];
}
