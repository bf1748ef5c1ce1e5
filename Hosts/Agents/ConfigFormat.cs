namespace ShadowMcp.Hosts.Agents;

/// <summary>The syntax of a config file. JSON is read with comments and trailing commas (JSONC).</summary>
public enum ConfigFormat
{
    Json,
    Toml,
    Yaml,
}
