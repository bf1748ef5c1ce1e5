using System.CommandLine;
using Microsoft.Extensions.Logging;
using ShadowMcp.Cli.Configuration;
using ShadowMcp.Core.Store;

namespace ShadowMcp.Cli.Fleet;

/// <summary>
/// <c>--report-to URL</c> and its companions for <c>scan</c> and <c>sensor</c>: results go to a central <c>serve</c>
/// instead of the local store. The sensor token comes from <c>$SHADOWMCP_SENSOR_TOKEN</c> or <c>--token-file</c>,
/// never from the command line, where every user of the machine could read it.
/// </summary>
public sealed class ReportToOptions
{
    public const string TokenVariable = "SHADOWMCP_SENSOR_TOKEN";

    public Option<string?> ReportTo { get; } = new("--report-to")
    {
        Description = "Send results to this shadowmcp serve (https://host:port) instead of the local store",
    };
    public Option<string?> TokenFile { get; } = new("--token-file")
    {
        Description = $"File holding the sensor token for --report-to (or set ${TokenVariable})",
    };
    public Option<string?> SensorName { get; } = new("--sensor-name")
    {
        Description = "This sensor's name at the centre (default: the host name)",
    };
    public Option<string?> Spool { get; } = new("--spool")
    {
        Description = "Where results wait while the centre is unreachable (default: 'spool' beside the default store)",
    };

    public Option<int> SpoolMaxMb { get; } = new("--spool-max-mb")
    {
        Description = "Cap on the spool's size; over it the oldest waiting batches are dropped (default 256)",
        DefaultValueFactory = _ => (int)(ResultSpool.DefaultMaxBytes / (1024 * 1024)),
    };

    public Option<int> BatchMaxKb { get; } = new("--batch-max-kb")
    {
        Description = "Largest body sent to the centre, in KiB of JSON; bigger results are sent in parts (default 8192; " +
            "keep it under the centre's Sensors:MaxBodyBytes)",
        DefaultValueFactory = _ => (int)(SensorBatchParts.DefaultMaxBytes / 1024),
    };

    public void AddTo(Command command)
    {
        command.Options.Add(SpoolMaxMb);
        command.Options.Add(BatchMaxKb);
        command.Options.Add(ReportTo);
        command.Options.Add(TokenFile);
        command.Options.Add(SensorName);
        command.Options.Add(Spool);
    }

    public RemoteTarget? Read(ParseResult parse) => parse.GetValue(ReportTo) is { } url
        ? new RemoteTarget(url, parse.GetValue(TokenFile), parse.GetValue(SensorName), parse.GetValue(Spool), parse.GetValue(SpoolMaxMb),
            parse.GetValue(BatchMaxKb))
        : null;
}

/// <summary>What <c>--report-to</c> and its companions said.</summary>
public sealed record RemoteTarget(string ReportTo, string? TokenFile, string? SensorName, string? Spool,
    int SpoolMaxMb = (int)(ResultSpool.DefaultMaxBytes / (1024 * 1024)), int BatchMaxKb = (int)(SensorBatchParts.DefaultMaxBytes / 1024))
{
    /// <summary>The sink, or null with the reason printed (a bad URL, no token).</summary>
    public RemoteResultSink? CreateSink(HttpClient http, ILogger logger, TextWriter stderr, int attempts = 3)
    {
        if (!Uri.TryCreate(ReportTo, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            stderr.WriteLine($"error: --report-to: '{ReportTo}' is not an http(s) URL");
            return null;
        }
        if (uri.UserInfo.Length > 0)
        {
            // Every delivery log line names the target: a password there would be in the logs.
            stderr.WriteLine($"error: --report-to: give no user or password in the URL ({uri.Scheme}://{uri.Authority}/); " +
                $"the sensor token comes from --token-file or ${ReportToOptions.TokenVariable}");
            return null;
        }
        var token = TokenSource.Read(null, TokenFile, "--token-file", ReportToOptions.TokenVariable, out var unreadable);
        if (token is null)
        {
            stderr.WriteLine(unreadable is not null ? $"error: {unreadable}"
                : $"error: --report-to needs a sensor token: set ${ReportToOptions.TokenVariable} or --token-file");
            return null;
        }
        if (SpoolMaxMb < 1)
        {
            stderr.WriteLine($"error: --spool-max-mb: {SpoolMaxMb} is not a size; give at least 1 (MiB)");
            return null;
        }
        if (BatchMaxKb < 1)
        {
            stderr.WriteLine($"error: --batch-max-kb: {BatchMaxKb} is not a size; give at least 1 (KiB)");
            return null;
        }
        var sensorName = SensorName ?? Environment.MachineName;
        if (!SensorBatchCheck.IsSensorName(sensorName))
        {
            // The centre refuses any other name: say so here rather than spool batches it will set aside.
            stderr.WriteLine($"error: --sensor-name: '{SensorBatchCheck.Escape(sensorName)}' is not a sensor name; use {SensorBatchCheck.SensorNameRule}");
            return null;
        }
        var spool = Spool ?? Path.Combine(Path.GetDirectoryName(StorePaths.Default)!, "spool");
        try
        {
            return new RemoteResultSink(new RemoteSinkOptions(RemoteSinkOptions.IngestUri(ReportTo), token,
                sensorName, spool)
                { Attempts = attempts, SpoolMaxBytes = SpoolMaxMb * 1024L * 1024, MaxBatchBytes = BatchMaxKb * 1024L }, http, logger);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"error: --spool {spool}: {ex.Message}");
            return null;
        }
    }
}
