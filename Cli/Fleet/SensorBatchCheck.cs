using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using ShadowMcp.Core.Serialization;

namespace ShadowMcp.Cli.Fleet;

/// <summary>
/// What the centre accepts in a <see cref="SensorBatch"/>, field by field, before anything is judged or stored. Two
/// kinds of value are told apart:
/// <list type="bullet">
/// <item>Values a sensor makes itself (addresses from IP headers, ports, counts, weights, times, list sizes, its name):
/// a genuine sensor never sends a bad one, so one refuses the batch, with the field named (<see cref="Refusal"/>).</item>
/// <item>Text a client on the watched network chose (Host, :path, SNI, server and tool names, evidence details): a
/// refusal would let that client hide the sensor's whole capture, so the text is kept, its control characters, line
/// and paragraph separators, format characters and broken surrogates written as <c>\uXXXX</c> and its length cut, and
/// the fields so changed are named (<see cref="Neutralize"/>). Nothing downstream (store, admin pages, logs, reports,
/// the enforcer) ever gets one of those characters from a remote sensor.</item>
/// </list>
/// </summary>
public static class SensorBatchCheck
{
    /// <summary>A sensor keeps at most 512 entries per list (docs/sensor-hardening.md); twice that is refused.</summary>
    public const int MaxListEntries = 1024;
    public const int MaxSensorNameChars = 128;
    /// <summary>Names (hosts, servers, tools, rule ids): longer ones are cut to this many characters.</summary>
    public const int MaxNameChars = 1024;
    /// <summary>Paths, evidence details and examples, the capture's error: longer ones are cut to this.</summary>
    public const int MaxTextChars = 4096;
    private const string Cut = "\u2026";

    /// <summary>
    /// A sensor name: 1 to 128 ASCII letters, digits, '.', '-' and '_' (a host name fits). Neither ':' nor '/', which
    /// separate the name from the capture key and source the centre stores ("sensor:NAME:KEY", "sensor:NAME/SOURCE"):
    /// the sensor "a:live" with key "1" would otherwise be the sensor "a" with key "live:1".
    /// </summary>
    public static bool IsSensorName(string? name) =>
        !string.IsNullOrEmpty(name) && name.Length <= MaxSensorNameChars && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_');

    public const string SensorNameRule = "1 to 128 ASCII letters, digits, '.', '-' or '_'";

    /// <summary>The first value no genuine sensor sends, as "field: why"; null when there is none.</summary>
    /// <param name="latest">The latest time a batch may carry: the centre's clock plus the allowed skew.</param>
    public static string? Refusal(SensorBatch b, int maxFindings, DateTime latest)
    {
        if (!IsSensorName(b.Sensor)) return $"sensor: must be {SensorNameRule}";
        if (!IsPlain(b.Source, 1024)) return "source: missing, longer than 1024 characters or has control characters";
        if (!IsPlain(b.Key, 128)) return "key: missing, longer than 128 characters or has control characters";
        // "required" only asks that a field be present: a JSON null gets past the parser.
        if (b.Findings is null) return "findings: missing";
        if (b.Findings.Count > maxFindings) return $"findings: more than {maxFindings}";
        if (b.Parts < 1 || b.Part < 1 || b.Part > b.Parts) return "part: must be between 1 and parts";
        if (b.Size < 0) return "size: negative";
        if (b.ScannedAt > latest) return "scannedAt: later than the centre's clock allows";
        if (b.Stats is null) return "stats: missing";
        if (b.Stats.FirstNegative() is { } negative) return $"stats.{negative}: negative";
        for (var i = 0; i < b.Findings.Count; i++)
            if (Refusal(b.Findings[i], $"findings[{i}]", latest) is { } why) return why;
        return null;
    }

    private static string? Refusal(FindingDocument? f, string at, DateTime latest)
    {
        if (f?.Endpoint is null) return $"{at}.endpoint: missing";
        if (f.Endpoint.Address is { } address && !IsAddress(address))
            return $"{at}.endpoint.address: not an IP address in its canonical form, or has a zone";
        if (f.Endpoint.Port is < 0 or > 65535) return $"{at}.endpoint.port: not between 0 and 65535";
        if (f.Transport is null) return $"{at}.transport: missing";
        if (f.Verdict is null) return $"{at}.verdict: missing";
        if (f.Flows < 0) return $"{at}.flows: negative";
        if (!IsUnit(f.Confidence)) return $"{at}.confidence: not between 0 and 1";
        if (Times(f.FirstSeen, f.LastSeen, at, latest) is { } time) return time;
        foreach (var (name, list) in Lists(f))
        {
            if (list is null) continue;
            if (list.Length > MaxListEntries) return $"{at}.{name}: more than {MaxListEntries} entries";
            for (var j = 0; j < list.Length; j++)
                if (list[j] is null) return $"{at}.{name}[{j}]: null";
        }
        var clients = f.Clients ?? [];
        for (var j = 0; j < clients.Length; j++)
            if (!IsAddress(clients[j])) return $"{at}.clients[{j}]: not an IP address in its canonical form, or has a zone";
        var evidence = f.Evidence ?? [];
        if (evidence.Length > MaxListEntries) return $"{at}.evidence: more than {MaxListEntries} entries";
        for (var j = 0; j < evidence.Length; j++)
        {
            var e = evidence[j];
            var ea = $"{at}.evidence[{j}]";
            if (e is null) return $"{ea}: null";
            if (e.Rule is null || e.Detail is null) return $"{ea}: rule or detail missing";
            if (e.Count < 0) return $"{ea}.count: negative";
            if (!IsUnit(e.Weight)) return $"{ea}.weight: not between 0 and 1";
            if (Times(e.FirstSeen, e.LastSeen, ea, latest) is { } time2) return time2;
        }
        return null;
    }

    private static string? Times(DateTime first, DateTime last, string at, DateTime latest)
    {
        if (first > latest) return $"{at}.firstSeen: later than the centre's clock allows";
        if (last > latest) return $"{at}.lastSeen: later than the centre's clock allows";
        if (last < first) return $"{at}.lastSeen: before firstSeen";
        return null;
    }

    private static IEnumerable<(string Name, string[]? List)> Lists(FindingDocument f) =>
    [
        ("hosts", f.Hosts), ("addressNames", f.AddressNames), ("claimedNames", f.ClaimedNames),
        ("protocolVersions", f.ProtocolVersions), ("clients", f.Clients), ("clientApps", f.ClientApps), ("tools", f.Tools),
    ];

    private static bool IsUnit(double value) => double.IsFinite(value) && value is >= 0 and <= 1;

    /// <summary>An address as a sensor writes it (<see cref="IPAddress.ToString"/>), without an IPv6 zone.</summary>
    private static bool IsAddress(string? text) =>
        text is not null && IPAddress.TryParse(text, out var ip) && ip.ToString() == text
        && (ip.AddressFamily != AddressFamily.InterNetworkV6 || ip.ScopeId == 0);

    private static bool IsPlain(string? text, int max) =>
        !string.IsNullOrWhiteSpace(text) && text.Length <= max && Escape(text) == text;

    /// <summary>
    /// The batch with every text from the wire escaped and cut (<see cref="Escape"/>); <paramref name="changed"/> names
    /// each field that was, as "findings[3].endpoint.host (escaped)". Call after <see cref="Refusal"/> found nothing.
    /// </summary>
    public static SensorBatch Neutralize(SensorBatch b, List<string> changed)
    {
        var findings = new FindingDocument[b.Findings.Count];
        for (var i = 0; i < findings.Length; i++)
        {
            var f = b.Findings[i];
            var at = $"findings[{i}]";
            string? Name(string? text, string field) => Clean(text, MaxNameChars, $"{at}.{field}", changed);
            // A list sent as null reads as empty, as an absent one does.
            string[] Names(string[]? list, string field) => [.. (list ?? []).Select((t, j) => Name(t, $"{field}[{j}]")!)];
            findings[i] = f with
            {
                Endpoint = f.Endpoint with
                {
                    Host = Name(f.Endpoint.Host, "endpoint.host"),
                    Path = Clean(f.Endpoint.Path, MaxTextChars, $"{at}.endpoint.path", changed),
                },
                Hosts = Names(f.Hosts, "hosts"),
                AddressNames = Names(f.AddressNames, "addressNames"),
                ClaimedNames = f.ClaimedNames is null ? null : Names(f.ClaimedNames, "claimedNames"),
                Transport = Name(f.Transport, "transport")!,
                ProtocolVersions = Names(f.ProtocolVersions, "protocolVersions"),
                Server = f.Server is null ? null
                    : new ServerDocument(Name(f.Server.Name, "server.name") ?? "", Name(f.Server.Version, "server.version")),
                Clients = f.Clients ?? [],
                ClientApps = Names(f.ClientApps, "clientApps"),
                Tools = Names(f.Tools, "tools"),
                Evidence = [.. (f.Evidence ?? []).Select((e, j) => e with
                {
                    Rule = Name(e.Rule, $"evidence[{j}].rule")!,
                    Title = Name(e.Title, $"evidence[{j}].title"),
                    Level = Name(e.Level, $"evidence[{j}].level"),
                    Detail = Clean(e.Detail, MaxTextChars, $"{at}.evidence[{j}].detail", changed)!,
                    Example = Clean(e.Example, MaxTextChars, $"{at}.evidence[{j}].example", changed),
                })],
            };
        }
        return b with { Findings = findings, Error = Clean(b.Error, MaxTextChars, "error", changed) };
    }

    private static string? Clean(string? text, int max, string field, List<string> changed)
    {
        if (text is null) return null;
        var escaped = Escape(text);
        var cut = escaped.Length > max;
        if (cut) escaped = escaped[..max] + Cut;
        if (escaped != text) changed.Add(field + (cut ? " (cut)" : " (escaped)"));
        return escaped;
    }

    /// <summary>
    /// <paramref name="text"/> with each control character, line or paragraph separator, format character (bidi
    /// overrides, zero-width marks) and unpaired surrogate written as <c>\uXXXX</c>; everything else as it was.
    /// </summary>
    public static string Escape(string text)
    {
        StringBuilder? sb = null;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            var paired = char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]);
            if (paired)
            {
                sb?.Append(c).Append(text[i + 1]);
                i++;
                continue;
            }
            var bad = char.IsSurrogate(c) || char.IsControl(c) || char.GetUnicodeCategory(c) is UnicodeCategory.LineSeparator
                or UnicodeCategory.ParagraphSeparator or UnicodeCategory.Format;
            if (!bad)
            {
                sb?.Append(c);
                continue;
            }
            sb ??= new StringBuilder(text.Length + 16).Append(text, 0, i);
            sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
        }
        return sb?.ToString() ?? text;
    }
}
