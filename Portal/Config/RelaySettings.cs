namespace ShadowMcp.Portal.Config;

/// <summary>
/// Which mid-call requests an upstream may send on to the caller. Progress always passes (it carries no
/// content of its own). Sampling lets the upstream put a prompt to the caller's model; a security team may
/// want that off for a server it trusts less, so that the upstream is told the caller cannot sample.
/// </summary>
public sealed class RelaySettings
{
    public bool Sampling { get; set; } = true;
    public bool Elicitation { get; set; } = true;
    public bool Logs { get; set; } = true;
}
