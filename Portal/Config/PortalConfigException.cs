namespace ShadowMcp.Portal.Config;

/// <summary>The config file is missing or invalid; the message is fit for the operator.</summary>
public sealed class PortalConfigException(string message) : Exception(message);
