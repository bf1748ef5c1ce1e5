namespace ShadowMcp.Enforcer.Policy;

/// <summary>A policy or allow-list file is invalid; the message starts with file:line:column.</summary>
public sealed class PolicyException(string message) : Exception(message);
