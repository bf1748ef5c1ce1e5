using System.Text.Json;
using System.Text.Json.Serialization;

namespace ShadowMcp.Cli.Tests;

/// <summary>tests/corpus/tls/manifest.json: what tests/corpus/tls/generate.sh set up for each TLS capture.</summary>
public sealed class TlsCorpusManifest
{
    [JsonPropertyName("files")] public List<Entry> Files { get; init; } = [];

    public static string Root => Path.Combine(RepoPaths.Corpus, "tls");

    internal static TlsCorpusManifest Load() =>
        JsonSerializer.Deserialize<TlsCorpusManifest>(File.ReadAllText(Path.Combine(Root, "manifest.json")))!;

    internal static IEnumerable<TestCaseData> Where(Func<Entry, bool> filter) =>
        Load().Files.Where(filter).Select(e => new TestCaseData(e).SetArgDisplayNames(e.File));

    public sealed class Entry
    {
        [JsonPropertyName("file")] public string File { get; init; } = "";
        [JsonPropertyName("keylog")] public string KeyLog { get; init; } = "";
        [JsonPropertyName("is_mcp")] public bool IsMcp { get; init; }
        [JsonPropertyName("transport")] public string Transport { get; init; } = "";
        [JsonPropertyName("http")] public string Http { get; init; } = "";
        [JsonPropertyName("port")] public int Port { get; init; }
        [JsonPropertyName("path")] public string? Path { get; init; }
        [JsonPropertyName("protocol_version")] public string? ProtocolVersion { get; init; }
        [JsonPropertyName("server_name")] public string? ServerName { get; init; }

        public string PcapPath => System.IO.Path.Combine(Root, "pcaps", File);
        public string KeyLogPath => System.IO.Path.Combine(Root, "keys", KeyLog);

        public override string ToString() => File;
    }
}
