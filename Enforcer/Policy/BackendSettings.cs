namespace ShadowMcp.Enforcer.Policy;

/// <summary>One configured backend: its type, a unique name, and its options as written in the policy file.</summary>
public sealed record BackendSettings(
    string Type,
    string Name,
    IReadOnlyDictionary<string, string> Scalars,
    IReadOnlyDictionary<string, IReadOnlyList<string>> Lists,
    string Origin)
{
    public string? Get(string key) => Scalars.GetValueOrDefault(key);

    public string Require(string key) =>
        Scalars.GetValueOrDefault(key) ?? throw new PolicyException($"{Origin}: backend '{Name}' needs '{key}'");

    public IReadOnlyList<string> GetList(string key, IReadOnlyList<string> fallback) => Lists.GetValueOrDefault(key) ?? fallback;
}
