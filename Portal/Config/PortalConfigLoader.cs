using System.Text.Json;

namespace ShadowMcp.Portal.Config;

/// <summary>Reads and validates the portal config file. Errors name the file and the problem.</summary>
public static class PortalConfigLoader
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNameCaseInsensitive = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    public static PortalConfig Load(string path)
    {
        string text;
        try { text = File.ReadAllText(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new PortalConfigException($"cannot read config '{path}': {e.Message}");
        }
        return Parse(text, path);
    }

    public static PortalConfig Parse(string json, string source = "config")
    {
        PortalConfig? config;
        try { config = JsonSerializer.Deserialize<PortalConfig>(json, Options); }
        catch (JsonException e)
        {
            throw new PortalConfigException($"{source}: invalid JSON at line {e.LineNumber + 1}: {e.Message}");
        }
        if (config is null) throw new PortalConfigException($"{source}: empty config");
        var errors = Validate(config).ToList();
        if (errors.Count > 0) throw new PortalConfigException($"{source}: " + string.Join("; ", errors));
        return config;
    }

    // A backlog beyond this is minutes of calls held in memory, all lost to a crash: what the limit is there to stop.
    private const int MaxAuditQueueLimit = 1_000_000;

    // Each session holds a few KB at rest (more with private upstream sessions): a million is gigabytes.
    internal const int MaxSessionsLimit = 1_000_000;

    internal static IEnumerable<string> Validate(PortalConfig config)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var u in config.Upstreams)
        {
            if (string.IsNullOrWhiteSpace(u.Id)) { yield return "an upstream has no id"; continue; }
            if (!ids.Add(u.Id)) yield return $"upstream '{u.Id}' is declared twice";
            if (u.Id.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_')))
                yield return $"upstream '{u.Id}': id may hold only letters, digits, '-', '.' and '_'";
            if (u.Url is null && u.Command is null) yield return $"upstream '{u.Id}' needs a url or a command";
            if (u.Url is not null && !Uri.TryCreate(u.Url, UriKind.Absolute, out _)) yield return $"upstream '{u.Id}': url '{u.Url}' is not absolute";
            if (u.Transport is not ("auto" or "streamable" or "sse" or "stdio")) yield return $"upstream '{u.Id}': transport must be auto, streamable, sse or stdio";
            if (u.Tools.Mode is not ("all" or "allowlist")) yield return $"upstream '{u.Id}': tools.mode must be all or allowlist";
            if (!IsAction(u.Dlp.Arguments) || !IsAction(u.Dlp.Results)) yield return $"upstream '{u.Id}': dlp actions must be block, redact, log or off";
            if (u.Pinning is not ("alert" or "hide" or "off")) yield return $"upstream '{u.Id}': pinning must be alert, hide or off";
            if (u.TimeoutSeconds <= 0) yield return $"upstream '{u.Id}': timeoutSeconds must be positive";
            foreach (var name in u.Env.Keys.Concat(u.EnvFrom.Keys).Concat(u.SecretFiles.Keys).Concat(u.EnvFrom.Values))
                if (name.Length == 0 || name.Contains('=') || name.Contains('\0'))
                    yield return $"upstream '{u.Id}': '{name}' is not a valid environment variable name";
        }
        foreach (var (name, group) in config.Groups)
            foreach (var server in group.Servers.Keys)
                if (!ids.Contains(server)) yield return $"group '{name}' grants unknown server '{server}'";
        if (config.Auth.Jwt is { } jwt && (jwt.Issuer.Length == 0 || jwt.JwksUrl.Length == 0 || jwt.Audience.Length == 0))
            yield return "auth.jwt needs issuer, audience and jwksUrl";
        if (config.Auth.Jwt is { TokenTypes.Count: 0 }) yield return "auth.jwt.tokenTypes must name at least one token type";
        if (config.Portal.MaxConcurrentCalls <= 0) yield return "portal.maxConcurrentCalls must be positive";
        if (config.Portal.MaxSessions is < 2 or > MaxSessionsLimit)
            yield return $"portal.maxSessions must be between 2 and {MaxSessionsLimit} (caller sessions held at once, all users), " +
                $"not {config.Portal.MaxSessions}";
        else if (config.Portal.MaxSessionsPerUser < 1 || config.Portal.MaxSessionsPerUser >= config.Portal.MaxSessions)
            yield return $"portal.maxSessionsPerUser must be at least 1 and less than portal.maxSessions ({config.Portal.MaxSessions}), " +
                $"so one user alone cannot fill the portal; not {config.Portal.MaxSessionsPerUser}";
        if (config.Portal.Audit.CheckpointSeconds <= 0) yield return "portal.audit.checkpointSeconds must be positive";
        if (config.Portal.Audit.QueueLimit is < 1 or > MaxAuditQueueLimit)
            yield return $"portal.audit.queueLimit must be between 1 and {MaxAuditQueueLimit} (rows waiting in memory " +
                $"for the audit writer), not {config.Portal.Audit.QueueLimit}";
        if (config.Portal.Unauthenticated is { SummarySeconds: <= 0 } or { MaxSources: <= 0 }
            or { PerSourcePerSecond: <= 0 } or { Burst: <= 0 })
            yield return "portal.unauthenticated: summarySeconds, maxSources, perSourcePerSecond and burst must be positive";
        if (config.CodeMode.MaxArgumentBytes is < 1 or > MaxArgumentBytesLimit)
            yield return $"codeMode.maxArgumentBytes must be between 1 and {MaxArgumentBytesLimit} (UTF-8 bytes of one tool call's " +
                $"arguments from a script), not {config.CodeMode.MaxArgumentBytes}";
        foreach (var error in ValidateLimits(config)) yield return error;
    }

    // The portal reads a call frame of up to twice this whole: 64 MiB is already far past any tool's arguments.
    private const int MaxArgumentBytesLimit = 64 * 1024 * 1024;

    /// <summary>Bulkheads and rate limits: a typo here would silently turn a limit off or count the wrong thing.</summary>
    private static IEnumerable<string> ValidateLimits(PortalConfig config)
    {
        var limits = config.Portal.Limits;
        if (limits.PerUpstream is <= 0) yield return "portal.limits.perUpstream must be positive";
        if (limits.PerCaller <= 0) yield return "portal.limits.perCaller must be positive";
        if (limits.QueueLimit < 0 || limits.QueueSeconds < 0) yield return "portal.limits: queueLimit and queueSeconds must not be negative";
        if (limits.RequestsPerMinute is <= 0) yield return "portal.limits.requestsPerMinute must be positive";
        for (var i = 0; i < limits.Rates.Count; i++)
        {
            var rule = limits.Rates[i];
            var where = $"portal.limits.rates[{i}]";
            if (rule.By is not ("user" or "group" or "tool")) yield return $"{where}: by must be user, group or tool, not '{rule.By}'";
            if (rule.PerMinute <= 0) yield return $"{where}: perMinute must be positive";
            if (rule.Burst is <= 0) yield return $"{where}: burst must be positive";
            if (rule.Group is { } group && !config.Groups.ContainsKey(group))
                yield return $"{where}: unknown group '{group}' (groups are matched exactly: {string.Join(", ", config.Groups.Keys)})";
        }
    }

    private static bool IsAction(string a) => a is "block" or "redact" or "log" or "off";
}
