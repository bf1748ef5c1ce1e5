namespace ShadowMcp.Enforcer.Backends;

/// <summary>A backend could not read or change its state; the message says which and why.</summary>
public class BackendException(string message, Exception? inner = null) : Exception(message, inner);
