namespace ShadowMcp.Enforcer.Engine;

/// <summary>What reading the backend said about a rule the action log says it holds.</summary>
public enum BlockVerification
{
    /// <summary>The backend holds it.</summary>
    Held,
    /// <summary>The log says it is held, the backend does not hold it (changed outside the enforcer).</summary>
    Missing,
    /// <summary>The backend holds it but no action in the log put it there.</summary>
    NotInLog,
    /// <summary>The backend could not be read; the log's view is shown unverified.</summary>
    Unverified,
}
