using System.CommandLine;
using Microsoft.Extensions.Logging;
using ShadowMcp.Cli.Siem;
using ShadowMcp.Core;
using ShadowMcp.Core.Findings;
using ShadowMcp.Core.Store;

namespace ShadowMcp.Cli.Commands;

/// <summary>
/// `shadowmcp export --ocsf`: findings, enforcement actions and portal audit events as OCSF 1.x events, one JSON
/// object per line, to stdout, a file, syslog or a Splunk HEC collector; with `--cursor` only what the sink has not
/// yet acknowledged, and with `--follow` for as long as it runs (docs/siem.md).
/// </summary>
internal static class ExportCommand
{
    public static Command Create(TimeProvider? time = null)
    {
        var ocsf = new Option<bool>("--ocsf") { Description = "Write OCSF 1.x events (Detection Finding, Network Remediation Activity, API Activity)" };
        var output = new Option<string?>("--out", "-o") { Description = "Append the lines to this file (default: stdout)" };
        var to = new Option<string?>("--to")
        {
            Description = "Send to syslog://host:port (RFC 5424 over TCP), syslog+tls://host:port (RFC 5425) or "
                + "http(s)://host:port (Splunk HEC; token from $SHADOWMCP_HEC_TOKEN or --hec-token-file)",
        };
        var events = new Option<string>("--events")
        {
            Description = "Which records: a comma list of findings, actions, audit; or all",
            DefaultValueFactory = _ => "all",
        };
        var verdict = new Option<string>("--verdict")
        {
            Description = "Which findings: shadow, suspected, sanctioned or all",
            DefaultValueFactory = _ => "all",
        };
        verdict.AcceptOnlyFromAmong("shadow", "suspected", "sanctioned", "all");
        var cursor = new Option<string?>("--cursor")
        {
            Description = "Remember what the sink acknowledged in this file and send only what is new or changed (one file per sink)",
        };
        var follow = new Option<bool>("--follow", "-f") { Description = "Keep running: send what is new every --interval (needs --cursor)" };
        var interval = new Option<int>("--interval")
        {
            Description = "Seconds between polls with --follow",
            DefaultValueFactory = _ => 30,
        };
        var ca = new Option<string?>("--ca") { Description = "PEM file of the CA that signed the syslog TLS or HEC server's certificate (default: system trust)" };
        var tokenFile = new Option<string?>("--hec-token-file") { Description = "File holding the Splunk HEC token (else $SHADOWMCP_HEC_TOKEN)" };
        var syslogMax = new Option<int>("--syslog-max-bytes")
        {
            Description = "Longest syslog message sent (header and JSON); a longer event has its longest strings cut to fit. "
                + "Set it to the receiver's limit (rsyslog's maxMessageSize) and never above it",
            DefaultValueFactory = _ => Siem.SyslogFrame.DefaultMaxMessageBytes,
        };
        syslogMax.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() < 480) r.AddError("--syslog-max-bytes must be at least 480 (RFC 5424's smallest)");
        });
        var retries = new Option<int>("--retries")
        {
            Description = "Retries of an unacknowledged batch before giving up (backoff from --retry-delay, doubling, at most 30 s)",
            DefaultValueFactory = _ => 5,
        };
        var retryDelay = new Option<int>("--retry-delay")
        {
            Description = "Milliseconds before the first retry",
            DefaultValueFactory = _ => 1000,
        };
        var batch = new Option<int>("--batch")
        {
            Description = "Events per batch (one acknowledgement and cursor write each)",
            DefaultValueFactory = _ => 500,
        };
        var db = CommonOptions.Db();
        var verbose = CommonOptions.Verbose();
        var cmd = new Command("export", "Export findings, enforcement actions and portal audit events for a SIEM (OCSF)")
        {
            ocsf, output, to, events, verdict, cursor, follow, interval, ca, tokenFile, syslogMax, retries, retryDelay, batch, db, verbose,
        };
        cmd.SetAction(async (parse, cancellationToken) =>
        {
            if (!parse.GetValue(ocsf))
            {
                Console.Error.WriteLine("error: choose a format: --ocsf");
                return (int)ExitCode.Usage;
            }
            if (SiemSelection.ParseStreams(parse.GetValue(events)!) is not { } streams)
            {
                Console.Error.WriteLine("error: --events: a comma list of findings, actions, audit, or all");
                return (int)ExitCode.Usage;
            }
            var cursorPath = parse.GetValue(cursor);
            if (parse.GetValue(follow) && cursorPath is null)
            {
                Console.Error.WriteLine("error: --follow needs --cursor FILE (where to remember what was delivered)");
                return (int)ExitCode.Usage;
            }
            if (parse.GetValue(output) is not null && parse.GetValue(to) is not null)
            {
                Console.Error.WriteLine("error: choose one of --out and --to");
                return (int)ExitCode.Usage;
            }
            if (parse.GetValue(batch) < 1 || parse.GetValue(retries) < 0 || parse.GetValue(retryDelay) < 0 || parse.GetValue(interval) < 1)
            {
                Console.Error.WriteLine("error: --batch and --interval must be at least 1, --retries and --retry-delay at least 0");
                return (int)ExitCode.Usage;
            }
            var clock = time ?? TimeProvider.System;
            Verdict? only = VerdictNames.TryParse(parse.GetValue(verdict), out var v) ? v : null;
            var dbPath = parse.GetValue(db) ?? StorePaths.Default;
            using var logs = Logging.Create(parse.GetValue(verbose));

            SiemCursor state;
            try { state = cursorPath is null ? SiemCursor.InMemory() : SiemCursor.Load(cursorPath); }
            catch (SiemCursorException e)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return (int)ExitCode.InvalidInput;
            }

            ISiemSink sink;
            try
            {
                sink = SiemSinks.Create(new SiemSinkSettings(parse.GetValue(output), parse.GetValue(to), parse.GetValue(ca), parse.GetValue(tokenFile), parse.GetValue(syslogMax)), clock, logs);
            }
            catch (SiemSinkSettingsException e)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return (int)ExitCode.Usage;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
            {
                Console.Error.WriteLine($"error: --out {parse.GetValue(output)}: cannot write: {e.Message}");
                return (int)ExitCode.InvalidInput;
            }

            await using (sink)
            {
                // A cursor records what one sink acknowledged: used for another, that one would miss what the first got.
                if (state.Sink is { } owner && owner != sink.Display)
                {
                    Console.Error.WriteLine($"error: --cursor {cursorPath} records deliveries to {owner}, not {sink.Display}: use one cursor file per sink");
                    return (int)ExitCode.Usage;
                }
                if (cursorPath is not null) state.Sink = sink.Display;
                var options = new SiemDeliveryOptions
                {
                    BatchSize = parse.GetValue(batch),
                    Retries = parse.GetValue(retries),
                    InitialBackoff = TimeSpan.FromMilliseconds(parse.GetValue(retryDelay)),
                };
                var reader = new SiemEventReader(dbPath, new SiemSelection(streams, only), clock);
                var delivery = new SiemDelivery(reader, sink, state, options, clock, logs.CreateLogger<SiemDelivery>());
                return parse.GetValue(follow)
                    ? await FollowAsync(delivery, TimeSpan.FromSeconds(parse.GetValue(interval)), clock, logs.CreateLogger("ShadowMcp.Export"), cancellationToken)
                    : await OnceAsync(delivery, cancellationToken);
            }
        });
        return cmd;
    }

    private static async Task<int> OnceAsync(SiemDelivery delivery, CancellationToken cancellationToken)
    {
        try
        {
            await delivery.RunOnceAsync(cancellationToken);
            return (int)ExitCode.Success;
        }
        catch (Exception e) when (Failure(e) is { } code)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return (int)code;
        }
    }

    /// <summary>Polls until Ctrl+C / SIGTERM. A sink that stays down is retried at the next poll; the cursor holds.</summary>
    private static async Task<int> FollowAsync(SiemDelivery delivery, TimeSpan interval, TimeProvider time, ILogger log, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try { await delivery.RunOnceAsync(cancellationToken); }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested) { break; }
            catch (Exception e) when (Failure(e) is { } code)
            {
                if (code != ExitCode.OutputError) 
                {
                    Console.Error.WriteLine($"error: {e.Message}");
                    return (int)code;
                }
                log.LogWarning("export: {Error}; trying again in {Seconds} s", e.Message, interval.TotalSeconds);
            }
            try { await Task.Delay(interval, time, cancellationToken); }
            catch (OperationCanceledException) { break; }
        }
        return (int)ExitCode.Success;
    }

    private static ExitCode? Failure(Exception e) => e switch
    {
        SiemSinkException => ExitCode.OutputError,
        SiemCursorException => ExitCode.OutputError,
        StoreException => ExitCode.StoreError,
        Microsoft.EntityFrameworkCore.DbUpdateException or Microsoft.Data.Sqlite.SqliteException => ExitCode.StoreError,
        _ => null,
    };
}
