using ShadowMcp.Core.Store;
using ShadowMcp.Reports.Building;
using ShadowMcp.Reports.Dns;
using ShadowMcp.Reports.Periods;
using ShadowMcp.Reports.Writers;
using System.CommandLine;
using ShadowMcp.Core;

namespace ShadowMcp.Reports.Cli;

/// <summary>
/// <c>shadowmcp report --week 2026-W47 | --from D --to D [--tz Europe/Berlin] [--format html|md|csv|json|all]... [--out DIR] [--db PATH] [--dns 127.0.0.53]</c>.
/// Without --week or --from/--to it reports the last complete ISO week.
/// </summary>
public static class ReportCommands
{
    public static Command Create() => Create(TimeProvider.System);

    /// <summary>
    /// <paramref name="inputs"/> lets the host add options of its own and fill in the portal, enforcement and audit
    /// sources from them (the CLI gives `report` the same portal and enforcement inputs as `serve`); it throws
    /// <see cref="ReportInputException"/> for unusable input.
    /// </summary>
    public static Command Create(Func<Command, Func<ParseResult, string?, ReportSources, ReportSources>> inputs) => Create(TimeProvider.System, inputs);

    internal static Command Create(TimeProvider time, Func<Command, Func<ParseResult, string?, ReportSources, ReportSources>>? inputs = null)
    {
        var week = new Option<string?>("--week") { Description = "ISO week, e.g. 2026-W47 (Monday 00:00 to Monday 00:00 in --tz)." };
        var from = new Option<string?>("--from") { Description = "Start date (inclusive), yyyy-MM-dd or yyyy-MM-ddTHH:mm, in --tz." };
        var to = new Option<string?>("--to") { Description = "End date (exclusive), yyyy-MM-dd or yyyy-MM-ddTHH:mm, in --tz." };
        var tz = new Option<string?>("--tz") { Description = "IANA time zone for the week and dates (default UTC)." };
        var format = new Option<string[]>("--format", "-f") { Description = "html, md, csv, json or all; repeatable.", AllowMultipleArgumentsPerToken = true };
        var output = new Option<string?>("--out", "-o") { Description = "Directory to write report-<period>.<ext> into (default: current directory)." };
        var db = new Option<string?>("--db") { Description = "Store path (default $SHADOWMCP_DB or the user data directory)." };
        var dns = new Option<string?>("--dns") { Description = "Resolver for reverse DNS of clients, address[:port]; off when not given." };
        var dnsBudget = new Option<double?>("--dns-budget") { Description = "Seconds for all reverse DNS lookups together (default 5)." };

        var riskWeights = new Option<string?>("--risk-weights")
        {
            Description = "JSON file of risk weights (a copy of Reports/Risk/risk-weights.json); default: the shipped weights.",
        };

        var command = new Command("report", "Write the weekly shadow-MCP report.") { week, from, to, tz, format, output, db, dns, dnsBudget, riskWeights };
        var addSources = inputs?.Invoke(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var stdout = parse.InvocationConfiguration.Output;
            var stderr = parse.InvocationConfiguration.Error;
            ReportPeriod period;
            IReadOnlyList<ReportFormat> formats;
            DnsClientReverseResolver resolver;
            ReportSources sources;
            try
            {
                var zone = TimeZones.Find(parse.GetValue(tz));
                period = ResolvePeriod(parse.GetValue(week), parse.GetValue(from), parse.GetValue(to), zone, time);
                formats = ReportFormats.Parse(parse.GetValue(format) ?? []);
                var dnsOptions = new ReverseDnsOptions { Server = parse.GetValue(dns) };
                if (parse.GetValue(dnsBudget) is { } seconds)
                {
                    if (seconds is < 0 or > 3600) throw new ReportInputException($"--dns-budget '{seconds}' must be between 0 and 3600 seconds.");
                    dnsOptions.Budget = TimeSpan.FromSeconds(seconds);
                }
                resolver = new DnsClientReverseResolver(dnsOptions);
                sources = ReportSources.NotConfigured() with { ReverseDns = resolver };
                if (parse.GetValue(riskWeights) is { } weights) sources = sources with { RiskWeights = Risk.RiskWeights.Load(weights) };
                if (addSources is not null) sources = addSources(parse, parse.GetValue(db), sources);
            }
            catch (ReportInputException ex)
            {
                await stderr.WriteLineAsync($"error: {ex.Message}").ConfigureAwait(false);
                return (int)ExitCode.InvalidInput;
            }

            var dbPath = parse.GetValue(db) ?? StorePaths.Default;
            IReadOnlyList<ReportFile> files;
            try
            {
                (_, files) = await new ReportGenerator(sources, time).GenerateAsync(dbPath, period, formats, null, cancellationToken).ConfigureAwait(false);
            }
            catch (StoreException ex)
            {
                await stderr.WriteLineAsync($"error: {ex.Message}").ConfigureAwait(false);
                return (int)ExitCode.StoreError;
            }
            try
            {
                foreach (var path in ReportGenerator.WriteTo(parse.GetValue(output) ?? ".", files))
                    await stdout.WriteLineAsync(path).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                await stderr.WriteLineAsync($"error: cannot write the report: {ex.Message}").ConfigureAwait(false);
                return (int)ExitCode.OutputError;
            }
            return (int)ExitCode.Success;
        });
        return command;
    }

    internal static ReportPeriod ResolvePeriod(string? week, string? from, string? to, TimeZoneInfo zone, TimeProvider time)
    {
        if (week is not null)
        {
            if (from is not null || to is not null) throw new ReportInputException("give either --week or --from/--to, not both.");
            return ReportPeriod.ForWeek(week, zone);
        }
        if (from is not null || to is not null)
        {
            if (from is null || to is null) throw new ReportInputException("--from and --to go together.");
            return ReportPeriod.ForRange(from, to, zone);
        }
        return ReportPeriod.WeekContaining(time.GetUtcNow().UtcDateTime, zone).ShiftWeeks(-1);
    }
}
