namespace ShadowMcp.Portal.Config;

/// <summary>DLP action per direction: block, redact, log or off.</summary>
public sealed class DlpSettings
{
    public string Arguments { get; set; } = "block";
    public string Results { get; set; } = "redact";
}
