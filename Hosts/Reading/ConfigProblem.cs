namespace ShadowMcp.Hosts.Reading;

/// <summary>A config file that could not be read or parsed; <see cref="Line"/> is 1-based when known.</summary>
public sealed record ConfigProblem(string File, int? Line, string Message)
{
    public override string ToString() => Line is { } l ? $"{File}:{l}: {Message}" : $"{File}: {Message}";
}
