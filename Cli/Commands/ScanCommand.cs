using System.CommandLine;
using Microsoft.Extensions.Logging;
using Spectre.Console;
using ShadowMcp.Cli.Output;
using ShadowMcp.Cli.Scanning;
using ShadowMcp.Core.Findings;
using ShadowMcp.Core.Store;
using ShadowMcp.Core;

namespace ShadowMcp.Cli.Commands;

/// <summary>`shadowmcp scan FILE...`: capture files in, findings out (table or one JSON document), saved to the store.</summary>
internal static class ScanCommand
{
    private const long ProgressBarMinBytes = 32L << 20;

    public static Command Create()
    {
        var files = new Argument<string[]>("files") { Arity = ArgumentArity.OneOrMore, Description = "pcap or pcapng files" };
        var format = new Option<string>("--format", "-f") { Description = "table or json", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("table", "json");
        var failOn = new Option<string[]>("--fail-on")
        {
            Description = "Exit 1 when a finding has one of these verdicts (shadow, suspected, sanctioned)",
            AllowMultipleArgumentsPerToken = true,
        };
        failOn.AcceptOnlyFromAmong("shadow", "suspected", "sanctioned");
        var noStore = new Option<bool>("--no-store") { Description = "Do not write results to the store" };
        var db = CommonOptions.Db();
        var rules = CommonOptions.Rules();
        var config = CommonOptions.Config();
        var verbose = CommonOptions.Verbose();
        var keyLogs = KeyLogOptions.Create();
        var flowLog = FlowLogFile.Option();
        var noShape = new Option<bool>("--no-shape")
        {
            Description = "Do not classify TLS flows without keys by their shape (docs/shape-classifier.md)",
        };

        var threads = ThreadsOption.Create();
        var reportTo = new Fleet.ReportToOptions();

        var cmd = new Command("scan", "Find MCP servers in capture files") { files, format, failOn, noStore, db, rules, config, verbose, flowLog };
        cmd.Options.Add(keyLogs);
        cmd.Options.Add(noShape);
        cmd.Options.Add(threads);
        reportTo.AddTo(cmd);
        cmd.SetAction((parse, ct) => Task.FromResult((int)Run(
            parse.GetValue(files)!, parse.GetValue(format)!, parse.GetValue(failOn) ?? [], parse.GetValue(noStore),
            parse.GetValue(db), parse.GetValue(rules), parse.GetValue(config), parse.GetValue(verbose), ct,
            parse.GetValue(keyLogs), parse.GetValue(flowLog), !parse.GetValue(noShape), reportTo.Read(parse),
            parse.GetValue(threads))));
        return cmd;
    }

    internal static ExitCode Run(string[] files, string format, string[] failOn, bool noStore, string? dbPath, string? rulesDir,
        string? configPath, bool verbose, CancellationToken ct, string[]? keyLogs = null,
        string? flowLogPath = null, bool shape = true, Fleet.RemoteTarget? remote = null, int threads = 1)
    {
        using var logs = Logging.Create(verbose);
        var logger = logs.CreateLogger("shadowmcp.scan");
        var classifier = ClassifierSetup.TryCreate(rulesDir, configPath, out var failure);
        if (classifier is null) return failure;

        FindingStore? store = null;
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        IScanResultSink? sink = null;
        try
        {
            if (remote is not null)
            {
                // A remote sensor keeps no store of its own: the centre's is the store.
                sink = remote.CreateSink(http, logger, Console.Error);
                if (sink is null) return ExitCode.Usage;
            }
            else if (!noStore) sink = store = FindingStore.Open(dbPath ?? StorePaths.Default);
        }
        catch (StoreException ex)
        {
            Console.Error.WriteLine($"error: {ex.Message}");
            return ExitCode.StoreError;
        }

        if (!FlowLogFile.TryOpen(flowLogPath, out var flowLog))
        {
            store?.Dispose();
            return ExitCode.InvalidInput;
        }

        ScanReport report;
        using (flowLog)
        using (store)
        {
            var runner = new ScanRunner(classifier, sink, logger)
            {
                KeyLog = KeyLogOptions.Load(keyLogs), FlowLog = flowLog, ShapeModel = shape ? Shape.ShapeModels.Default() : null,
                Threads = threads,
            };
            try
            {
                report = ShowProgress(format, files) ? RunWithProgressBar(runner, files, ct) : runner.Run(files, null, ct);
            }
            catch (StoreException ex)
            {
                Console.Error.WriteLine($"error: {ex.Message}");
                return ExitCode.StoreError;
            }
        }

        IScanReportWriter writer = format == "json" ? new JsonScanReportWriter() : new TableScanReportWriter();
        writer.Write(report, Console.Out);
        foreach (var e in report.Errors) Console.Error.WriteLine($"error: {e}");

        if (report.Errors.Count > 0) return ExitCode.InvalidInput;
        var failVerdicts = failOn.Select(v => VerdictNames.TryParse(v, out var x) ? x : (Verdict?)null).OfType<Verdict>().ToHashSet();
        return report.Findings.Any(f => failVerdicts.Contains(f.Verdict)) ? ExitCode.FindingsFailOn : ExitCode.Success;
    }

    private static bool ShowProgress(string format, string[] files) =>
        format == "table" && !Console.IsErrorRedirected
        && files.Sum(f => File.Exists(f) ? new FileInfo(f).Length : 0) >= ProgressBarMinBytes;

    private static ScanReport RunWithProgressBar(ScanRunner runner, string[] files, CancellationToken ct)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        ScanReport? report = null;
        console.Progress().AutoClear(true).Columns(
            new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new TransferSpeedColumn(), new RemainingTimeColumn())
            .Start(ctx =>
            {
                var tasks = files.ToDictionary(f => f, f => ctx.AddTask(Path.GetFileName(f), maxValue: Math.Max(1, File.Exists(f) ? new FileInfo(f).Length : 1)));
                var progress = new SynchronousProgress<(string File, long Done, long Total)>(p => tasks[p.File].Value = p.Done);
                report = runner.Run(files, progress, ct);
                foreach (var t in tasks.Values) t.Value = t.MaxValue;
            });
        return report!;
    }

    /// <summary>Progress&lt;T&gt; posts to the thread pool; the bar wants the value now, on the scanning thread.</summary>
    private sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
