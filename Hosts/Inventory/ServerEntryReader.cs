using System.Text.Json;
using System.Text.Json.Nodes;
using ShadowMcp.Core.Findings;
using ShadowMcp.Hosts.Packages;
using ShadowMcp.Hosts.Secrets;

namespace ShadowMcp.Hosts.Inventory;

/// <summary>
/// Reads one server entry, whichever agent wrote it: the field names differ (command/cmd, env/envs/environment,
/// url/serverUrl/httpUrl/uri, headers/http_headers, disabled/enabled) but the meaning is the same. Values of
/// environment variables and headers are looked at once for secrets and then dropped.
/// </summary>
internal static class ServerEntryReader
{
    public static DeclaredServer? Read(FileContext file, string name, JsonNode? node, List<SecretHit> secrets)
    {
        if (node is not JsonObject entry) return null;
        // Continue's JSON form nests the launch under "transport".
        if (entry["transport"] is JsonObject transport) entry = transport;

        string? command = null;
        var args = new List<string>();
        var envNode = entry["env"] ?? entry["envs"] ?? entry["environment"];
        switch (entry["command"] ?? entry["cmd"])
        {
            case JsonValue v when v.TryGetValue<string>(out var s):
                command = s;
                break;
            case JsonArray a:
                // opencode: "command": ["npx", "-y", "pkg"]
                var parts = Strings(a);
                if (parts.Count > 0) { command = parts[0]; args.AddRange(parts.Skip(1)); }
                break;
            case JsonObject o:
                // Zed before 0.190: "command": {"path": ..., "args": [...], "env": {...}}
                command = Text(o["path"]);
                args.AddRange(Strings(o["args"] as JsonArray));
                envNode ??= o["env"];
                break;
        }
        args.AddRange(Strings(entry["args"] as JsonArray));

        var url = Text(entry["url"]) ?? Text(entry["serverUrl"]) ?? Text(entry["httpUrl"]) ?? Text(entry["uri"]);
        var type = (Text(entry["type"]) ?? Text(entry["transport"]))?.ToLowerInvariant();
        var env = Map(envNode);
        var headers = Map(entry["headers"] ?? entry["http_headers"]);

        foreach (var (key, value) in env) Check(file, name, $"env:{key}", key, value, secrets);
        foreach (var (key, value) in headers) Check(file, name, $"header:{key}", key, value, secrets);
        // An argument that is a credential is not kept: the inventory holds the redaction marker instead.
        for (int i = 0; i < args.Count; i++)
        {
            var option = i > 0 && args[i - 1].StartsWith('-') ? args[i - 1] : ArgName(args[i]);
            if (Check(file, name, $"args[{i}]", option, ArgValue(args[i]), secrets))
                args[i] = ArgName(args[i]) is { } inline ? $"{inline}={SecretHit.Redacted}" : SecretHit.Redacted;
        }
        var urlIsSecret = url is not null && Check(file, name, "url", null, url, secrets);
        if (urlIsSecret && Uri.TryCreate(url, UriKind.Absolute, out var u))
            url = u.GetLeftPart(UriPartial.Path);

        if (command is null && url is null) return null;
        var kind = url is not null && command is null ? RemoteTransport(type, entry["httpUrl"] is not null) : "stdio";
        return new DeclaredServer
        {
            Agent = file.Agent,
            Scope = file.Scope,
            ConfigPath = file.Path,
            Name = name,
            Transport = kind,
            Command = command,
            Args = args,
            Url = command is null ? url : null,
            Package = command is null ? null : LaunchResolver.Resolve(command, args),
            Enabled = IsEnabled(entry),
            EnvNames = [.. env.Keys],
            HeaderNames = [.. headers.Keys],
        };
    }

    private static string RemoteTransport(string? type, bool httpUrl) => type switch
    {
        "sse" => Transports.SseLegacy,
        _ when httpUrl => Transports.StreamableHttp,
        "http" or "streamable-http" or "streamablehttp" or "streamable_http" or "remote" => Transports.StreamableHttp,
        _ => Transports.Http,
    };

    private static bool IsEnabled(JsonObject entry) =>
        !(Bool(entry["disabled"]) ?? false) && (Bool(entry["enabled"]) ?? true);

    private static bool Check(FileContext file, string server, string location, string? name, string? value,
        List<SecretHit> secrets)
    {
        if (SecretDetector.Classify(name, value) is not { } kind) return false;
        secrets.Add(new SecretHit(file.Agent, file.Path, server, location, kind));
        return true;
    }

    /// <summary>"--api-key=sk-..." is a name and a value in one argument.</summary>
    private static string? ArgName(string arg) =>
        arg.StartsWith('-') && arg.IndexOf('=') is > 0 and var eq ? arg[..eq] : null;

    private static string ArgValue(string arg) =>
        arg.StartsWith('-') && arg.IndexOf('=') is > 0 and var eq ? arg[(eq + 1)..] : arg;

    public static string? Text(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    private static bool? Bool(JsonNode? node) => node is not JsonValue v ? null : v.GetValueKind() switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.String when bool.TryParse(v.GetValue<string>(), out var b) => b,
        _ => null,
    };

    /// <summary>A string as itself, any other scalar as its JSON text, an object or array as null.</summary>
    private static string? Scalar(JsonNode? node) => node is JsonValue v
        ? v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : v.ToJsonString()
        : null;

    private static List<string> Strings(JsonArray? array) =>
        array is null ? [] : [.. array.Select(Scalar).OfType<string>()];

    private static Dictionary<string, string?> Map(JsonNode? node)
    {
        var map = new Dictionary<string, string?>(StringComparer.Ordinal);
        if (node is JsonObject o)
            foreach (var (k, v) in o) map[k] = Scalar(v);
        else if (node is JsonArray a)
            // Some agents write env as ["NAME=value", ...].
            foreach (var s in Strings(a))
                if (s.IndexOf('=') is > 0 and var eq) map[s[..eq]] = s[(eq + 1)..];
        return map;
    }
}

/// <summary>The file an entry came from, and what is known about it before its contents are read.</summary>
internal sealed record FileContext(string Agent, string Scope, string Path);
