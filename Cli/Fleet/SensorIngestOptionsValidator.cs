using Microsoft.Extensions.Options;
using ShadowMcp.Hosts.Fleet;

namespace ShadowMcp.Cli.Fleet;

/// <summary>
/// Stops `serve` at start on sensor-ingest settings it could not honour: a token too short to count (it was dropped
/// silently, and that sensor's batches refused with 401 for no reason it could see), a bound name no sensor can send
/// (it failed the first request, and every one after it, with 500), limits that are not positive. Tokens are never
/// written into the message, only where they are.
/// </summary>
internal sealed class SensorIngestOptionsValidator : IValidateOptions<SensorIngestOptions>
{
    public ValidateOptionsResult Validate(string? name, SensorIngestOptions options)
    {
        var errors = new List<string>();
        for (var i = 0; i < options.IngestTokens.Count; i++)
            if (new IngestTokens([options.IngestTokens[i]]) is not { IsConfigured: true })
                errors.Add($"{SensorIngestOptions.Section}:IngestTokens:{i}: {SensorTokens.NotAToken}");
        // One token bound to two sensors would report as whichever was configured last: say so instead.
        var boundTo = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (sensor, token) in options.SensorTokens)
        {
            if (boundTo.TryGetValue(token, out var first))
                errors.Add($"{SensorIngestOptions.Section}:SensorTokens:{sensor}: the same token as {first}; a token is bound to one sensor");
            else boundTo[token] = sensor;
            if (SensorTokens.BoundEntryError(sensor, token) is { } error) errors.Add(error);
        }
        if (options.MaxBodyBytes <= 0) errors.Add($"{SensorIngestOptions.Section}:MaxBodyBytes must be positive.");
        if (options.MaxFindings <= 0) errors.Add($"{SensorIngestOptions.Section}:MaxFindings must be positive.");
        if (options.MaxConcurrentBatches <= 0) errors.Add($"{SensorIngestOptions.Section}:MaxConcurrentBatches must be positive.");
        if (options.BodyTimeout <= TimeSpan.Zero) errors.Add($"{SensorIngestOptions.Section}:BodyTimeout '{options.BodyTimeout}' must be positive.");
        if (options.MaxClockSkew < TimeSpan.Zero) errors.Add($"{SensorIngestOptions.Section}:MaxClockSkew '{options.MaxClockSkew}' must not be negative.");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
