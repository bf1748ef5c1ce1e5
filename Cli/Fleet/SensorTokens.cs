using ShadowMcp.Hosts.Fleet;

namespace ShadowMcp.Cli.Fleet;

/// <summary>
/// The sensor tokens <c>serve</c> accepts and whom each one speaks for. A token in <c>Sensors:SensorTokens</c> is
/// bound to one sensor name: a batch it carries must name that sensor, so the identity comes from the credential and
/// one sensor's token (stolen or not) cannot replace another sensor's captures. A token in
/// <c>Sensors:IngestTokens</c> is not bound (one token shared by a fleet): it may report under any name no token is
/// bound to. Every configured token is compared, in fixed time, whichever matches.
/// </summary>
public sealed class SensorTokens
{
    private readonly List<(IngestTokens Token, string? Sensor)> _entries = [];
    private readonly HashSet<string> _bound = new(StringComparer.OrdinalIgnoreCase);

    public SensorTokens(IEnumerable<string> unbound, IEnumerable<KeyValuePair<string, string>> bound)
    {
        foreach (var token in unbound)
            if (new IngestTokens([token]) is { IsConfigured: true } one) _entries.Add((one, null));
        foreach (var (sensor, token) in bound)
        {
            // A bound name a sensor could never send is a mistake in the settings: refused at start, not ignored.
            if (BoundEntryError(sensor, token) is { } error) throw new InvalidOperationException(error);
            _entries.Add((new IngestTokens([token]), sensor));
            _bound.Add(sensor);
        }
    }

    /// <summary>Why a <c>Sensors:SensorTokens</c> entry cannot be honoured, naming it but never its token; null when it can.</summary>
    internal static string? BoundEntryError(string sensor, string token) =>
        !SensorBatchCheck.IsSensorName(sensor)
            ? $"{SensorIngestOptions.Section}:SensorTokens: '{SensorBatchCheck.Escape(sensor)}' is not a sensor name ({SensorBatchCheck.SensorNameRule})"
            : new IngestTokens([token]) is not { IsConfigured: true } ? $"{SensorIngestOptions.Section}:SensorTokens:{sensor}: {NotAToken}"
            : null;

    /// <summary>Why a configured token is not one.</summary>
    internal const string NotAToken = "not a token (16+ characters or sha256:<64 hex>)";

    public bool IsConfigured => _entries.Count > 0;

    /// <summary>Whether any token may report under any free name (<c>Sensors:IngestTokens</c>).</summary>
    public bool HasUnbound => _entries.Any(e => e.Sensor is null);

    /// <summary>The presented token's match: not accepted, accepted for any free name, or accepted for one sensor.</summary>
    public Match Verify(string? presented)
    {
        Match found = default;
        // No early exit: the time taken does not say which entry matched. A token also listed as bound is bound.
        foreach (var (token, sensor) in _entries)
            if (token.Verify(presented) && (!found.Accepted || sensor is not null)) found = new Match(true, sensor);
        return found;
    }

    /// <summary>Null when <paramref name="match"/> may report as <paramref name="sensor"/>, else why not.</summary>
    public string? Forbidden(Match match, string sensor) => match.Sensor switch
    {
        { } own when !string.Equals(own, sensor, StringComparison.Ordinal) => "this sensor token is bound to another sensor name",
        null when _bound.Contains(sensor) => "this sensor name is bound to a token of its own (Sensors:SensorTokens)",
        _ => null,
    };

    public readonly record struct Match(bool Accepted, string? Sensor);
}
