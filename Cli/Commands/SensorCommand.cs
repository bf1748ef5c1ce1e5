using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ShadowMcp.Cli.Output;
using ShadowMcp.Cli.Scanning;
using ShadowMcp.Core.Store;
using ShadowMcp.Scanner.Live;
using ShadowMcp.Core;

namespace ShadowMcp.Cli.Commands;

/// <summary>`shadowmcp sensor --interface IF`: live capture on a host NIC or SPAN port until stopped.</summary>
internal static class SensorCommand
{
    /// <summary>How long a stop may take to flush before the process exits anyway (systemd waits 90 s by default).</summary>
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(30);

    /// <summary>Findings reach the store at least this often, so even a kill -9 loses little.</summary>
    internal const int DefaultFlushSeconds = 10;

    public static Command Create()
    {
        var iface = new Option<string?>("--interface", "-i") { Description = "Interface to capture on (see --list)" };
        var list = new Option<bool>("--list") { Description = "List capture interfaces and exit" };
        var filter = new Option<string>("--filter") { Description = "BPF capture filter", DefaultValueFactory = _ => new LiveCaptureOptions().Filter };
        var flush = new Option<int>("--flush-seconds") { Description = "Save findings to the store this often (a stop signal also saves them)",
            DefaultValueFactory = _ => DefaultFlushSeconds };
        var duration = new Option<int?>("--duration") { Description = "Stop after this many seconds (default: until Ctrl+C / SIGTERM)" };
        var format = new Option<string>("--format", "-f") { Description = "Summary at exit: table or json", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("table", "json");
        var noPromisc = new Option<bool>("--no-promiscuous") { Description = "Do not put the interface in promiscuous mode" };
        var bufferMb = new Option<int>("--buffer-mb")
        {
            Description = "Kernel capture buffer in MiB; a larger one rides out bursts (drops are reported at exit)",
            DefaultValueFactory = _ => new LiveCaptureOptions().KernelBufferBytes >> 20,
        };
        bufferMb.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() is < 1 or > 2047) r.AddError("--buffer-mb must be between 1 and 2047");
        });
        var db = CommonOptions.Db();
        var rules = CommonOptions.Rules();
        var config = CommonOptions.Config();
        var verbose = CommonOptions.Verbose();
        var cmd = new Command("sensor", "Capture live traffic and record MCP findings") { iface, list, filter, flush, duration, format, noPromisc, db, rules, config, verbose };
        cmd.Options.Add(bufferMb);
        var keyLogs = KeyLogOptions.Create();
        cmd.Options.Add(keyLogs);
        var flowLog = FlowLogFile.Option();
        cmd.Options.Add(flowLog);
        var metricsListen = MetricsListen.Option();
        cmd.Options.Add(metricsListen);
        var noShape = new Option<bool>("--no-shape")
        {
            Description = "Do not classify TLS flows without keys by their shape (docs/shape-classifier.md)",
        };
        cmd.Options.Add(noShape);
        var threads = ThreadsOption.Create();
        cmd.Options.Add(threads);
        var reportTo = new Fleet.ReportToOptions();
        reportTo.AddTo(cmd);
        cmd.SetAction((parse, ct) =>
        {
            if (parse.GetValue(list))
            {
                try
                {
                    foreach (var (name, description) in LiveCapture.ListInterfaces()) Console.WriteLine($"{name}\t{description}");
                    return Task.FromResult(0);
                }
                catch (LiveCaptureException ex)
                {
                    Console.Error.WriteLine($"error: {ex.Message}");
                    return Task.FromResult((int)ExitCode.Usage);
                }
            }
            var name0 = parse.GetValue(iface);
            if (string.IsNullOrWhiteSpace(name0))
            {
                Console.Error.WriteLine("error: --interface is required (use --list to see interfaces)");
                return Task.FromResult((int)ExitCode.Usage);
            }
            System.Net.IPEndPoint? metricsAt = null;
            if (parse.GetValue(metricsListen) is { } listenText && (metricsAt = MetricsListen.Parse(listenText, out var listenError)) is null)
            {
                Console.Error.WriteLine($"error: {listenError}");
                return Task.FromResult((int)ExitCode.Usage);
            }
            var options = new LiveCaptureOptions
            {
                Interface = name0, Filter = parse.GetValue(filter)!, Promiscuous = !parse.GetValue(noPromisc),
                KernelBufferBytes = parse.GetValue(bufferMb) << 20,
            };
            return Task.FromResult((int)Run(options, TimeSpan.FromSeconds(Math.Max(1, parse.GetValue(flush))), parse.GetValue(duration),
                parse.GetValue(format)!, parse.GetValue(db), parse.GetValue(rules), parse.GetValue(config), parse.GetValue(verbose), ct,
                parse.GetValue(keyLogs), parse.GetValue(flowLog), metricsAt, !parse.GetValue(noShape), reportTo.Read(parse),
                parse.GetValue(threads)));
        });
        return cmd;
    }

    // The last delivery attempt when the sensor stops: inside systemd's default 90 s stop timeout with room to spare.
    private static readonly TimeSpan FinalDelivery = TimeSpan.FromSeconds(15);

    private static ExitCode Run(LiveCaptureOptions options, TimeSpan flush, int? durationSeconds, string format, string? dbPath,
        string? rulesDir, string? configPath, bool verbose, CancellationToken ct, string[]? keyLogs = null,
        string? flowLogPath = null, System.Net.IPEndPoint? metricsAt = null, bool shape = true, Fleet.RemoteTarget? remote = null,
        int threads = 1)
    {
        using var logs = Logging.Create(verbose);
        var logger = logs.CreateLogger("shadowmcp.sensor");
        var classifier = ClassifierSetup.TryCreate(rulesDir, configPath, out var failure);
        if (classifier is null) return failure;

        // Own signal handling: the first SIGTERM/SIGINT stops capture and flushes; a second one forces exit.
        using var signals = new StopSignals(logger, StopGrace);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct, signals.Stopping);
        // --duration counts capture time, from the moment the interface is open, not process start-up.
        Action? startTimer = durationSeconds is { } s ? () => cts.CancelAfter(TimeSpan.FromSeconds(s)) : null;
        try
        {
            if (!FlowLogFile.TryOpen(flowLogPath, out var flowLog)) return ExitCode.InvalidInput;
            using var flowLogScope = flowLog;
            // Delivery runs on a thread of its own (BackgroundDelivery): a flush only spools, so a slow or hung centre
            // never holds the capture thread; the stop makes one last attempt, bounded, and the spool keeps the rest.
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
            // A remote sensor keeps no store of its own: the centre's is the store, and its spool the durable copy.
            var remoteSink = remote?.CreateSink(http, logger, Console.Error);
            if (remote is not null && remoteSink is null) return ExitCode.Usage;
            using var delivery = remoteSink is null ? null : new Fleet.BackgroundDelivery(remoteSink, logger);
            using var store = remoteSink is null ? FindingStore.Open(dbPath ?? StorePaths.Default) : null;
            using var metricsHost = MetricsListen.Start(metricsAt, "shadowmcp-sensor", SensorMetrics.MeterName);
            // Plain HTTP on purpose: --metrics-listen accepts loopback addresses only.
            if (metricsAt is not null) logger.LogInformation("serving /metrics on http://{Endpoint}/metrics", metricsAt); // DevSkim: ignore DS137138
            // No listener and no OTLP endpoint: nobody would read the instruments, so none are made.
            var metrics = metricsHost is null ? null : new SensorMetrics(metricsHost.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>());
            var report = new LiveSensor(classifier, (IScanResultSink?)delivery ?? store, logger)
                {
                    KeyLog = KeyLogOptions.Load(keyLogs), FlowLog = flowLog, Metrics = metrics,
                    ShapeModel = shape ? Shape.ShapeModels.Default() : null, Threads = threads,
                }
                .Run(options, flush, cts.Token, startTimer);
            delivery?.Finish(FinalDelivery);
            IScanReportWriter writer = format == "json" ? new JsonScanReportWriter() : new TableScanReportWriter();
            writer.Write(report, Console.Out);
            return ExitCode.Success;
        }
        catch (LiveCaptureException ex) { Console.Error.WriteLine($"error: {ex.Message}"); return ExitCode.InvalidInput; }
        catch (StoreException ex) { Console.Error.WriteLine($"error: {ex.Message}"); return ExitCode.StoreError; }
    }
}
