using System.Text.Json;
using System.Text.Json.Serialization;

namespace ShadowMcp.Cli.Tests;

/// <summary>tests/corpus/manifest.json: the ground truth the generator wrote for each capture.</summary>
public sealed class CorpusManifest
{
    [JsonPropertyName("files")] public List<Entry> Files { get; init; } = [];

    internal static CorpusManifest Load() =>
        JsonSerializer.Deserialize<CorpusManifest>(File.ReadAllText(Path.Combine(RepoPaths.Corpus, "manifest.json")))!;

    internal static IEnumerable<TestCaseData> Where(Func<Entry, bool> filter) =>
        Load().Files.Where(filter).Select(e => new TestCaseData(e).SetArgDisplayNames(e.File));

    public sealed class Entry
    {
        [JsonPropertyName("file")] public string File { get; init; } = "";
        [JsonPropertyName("is_mcp")] public bool IsMcp { get; init; }
        [JsonPropertyName("transport")] public string Transport { get; init; } = "";
        [JsonPropertyName("server_address")] public string? ServerAddress { get; init; }
        [JsonPropertyName("port")] public int? Port { get; init; }
        [JsonPropertyName("path")] public string? Path { get; init; }
        [JsonPropertyName("client_address")] public string? ClientAddress { get; init; }
        [JsonPropertyName("protocol_version")] public string? ProtocolVersion { get; init; }
        [JsonPropertyName("server_name")] public string? ServerName { get; init; }
        [JsonPropertyName("server_version")] public string? ServerVersion { get; init; }
        [JsonPropertyName("tools")] public List<string> Tools { get; init; } = [];
        [JsonPropertyName("lookalike")] public string? LookAlike { get; init; }
        [JsonPropertyName("hosts")] public List<HostEntry> Hosts { get; init; } = [];

        public override string ToString() => File;
    }

    public sealed class HostEntry
    {
        [JsonPropertyName("name")] public string Name { get; init; } = "";
        [JsonPropertyName("is_mcp")] public bool IsMcp { get; init; }
    }
}
