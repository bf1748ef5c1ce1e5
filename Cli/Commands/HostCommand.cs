using System.CommandLine;
using System.Text.Json;
using ShadowMcp.Cli.Configuration;
using ShadowMcp.Classifier.Loading;
using ShadowMcp.Core;
using ShadowMcp.Core.Findings;
using ShadowMcp.Core.Serialization;
using ShadowMcp.Hosts.Agents;
using ShadowMcp.Hosts.Fleet;
using ShadowMcp.Hosts.Inventory;
using ShadowMcp.Hosts.Listeners;
using ShadowMcp.Hosts.Output;
using ShadowMcp.Hosts.Processes;
using ShadowMcp.Hosts.Reading;
using ShadowMcp.Hosts.Verdicts;
using ShadowMcp.Scanner.Active;

namespace ShadowMcp.Cli.Commands;

/// <summary>
/// `shadowmcp host scan`: the MCP servers this machine's agents declare (and, optionally, run or listen on
/// loopback), with verdicts from the same settings as the network, as a table or the findings JSON; with
/// --report-to, posted to `shadowmcp serve`.
/// </summary>
internal static class HostCommand
{
    public const string TokenVariable = "SHADOWMCP_HOST_TOKEN";

    public static Command Create()
    {
        var homes = new Option<string[]>("--home")
        {
            Description = "Home directory to read (repeatable; default: yours, or every user's as root)",
            AllowMultipleArgumentsPerToken = true,
        };
        var os = new Option<string?>("--os")
        {
            Description = "Read the homes with this platform's layout: linux, macos, windows (default: this machine's)",
        };
        os.AcceptOnlyFromAmong("linux", "macos", "windows");
        var systemRoot = new Option<string?>("--system-root")
        {
            Description = "Where machine-wide (managed) files are: / on a live scan; a copied root with --home",
        };
        var projects = new Option<string[]>("--project")
        {
            Description = "Project directory whose .mcp.json, .vscode/mcp.json... to read (repeatable)",
            AllowMultipleArgumentsPerToken = true,
        };
        var processes = new Option<bool>("--processes")
        {
            Description = "Also list running processes that are MCP servers (Linux /proc)",
        };
        var listeners = new Option<bool>("--listeners")
        {
            Description = "Also probe loopback TCP listeners for MCP (127.0.0.0/8 and ::1 only)",
        };
        var format = new Option<string>("--format", "-f")
        {
            Description = "table or json",
            DefaultValueFactory = _ => "table",
        };
        format.AcceptOnlyFromAmong("table", "json");
        var failOn = new Option<string[]>("--fail-on")
        {
            Description = "Exit 1 when a finding has one of these verdicts",
            AllowMultipleArgumentsPerToken = true,
        };
        failOn.AcceptOnlyFromAmong("shadow", "suspected", "sanctioned");
        var reportTo = new Option<string?>("--report-to")
        {
            Description = "Post the inventory to this `shadowmcp serve` (URL)",
        };
        var token = new Option<string?>("--token")
        {
            Description = $"Host-ingest token for --report-to (better: ${TokenVariable} or --token-file, hidden from ps)",
        };
        var tokenFile = new Option<string?>("--token-file") { Description = "File holding the host-ingest token" };
        var maxBytes = new Option<long>("--max-file-bytes")
        {
            Description = "Config files bigger than this are skipped",
            DefaultValueFactory = _ => new ReadLimits().MaxFileBytes,
        };
        var config = CommonOptions.Config();
        var rules = CommonOptions.Rules();

        var scan = new Command("scan", "Inventory the MCP servers configured on this machine")
        {
            homes, os, systemRoot, projects, processes, listeners, format, failOn, reportTo, token, tokenFile, maxBytes,
            config, rules,
        };
        scan.SetAction(async (parse, ct) =>
        {
            var request = new HostScanRequest
            {
                Homes = parse.GetValue(homes) ?? [],
                Os = parse.GetValue(os),
                SystemRoot = parse.GetValue(systemRoot),
                Projects = parse.GetValue(projects) ?? [],
                Processes = parse.GetValue(processes),
                Listeners = parse.GetValue(listeners),
                Format = parse.GetValue(format)!,
                FailOn = parse.GetValue(failOn) ?? [],
                ReportTo = parse.GetValue(reportTo),
                Token = parse.GetValue(token),
                TokenFile = parse.GetValue(tokenFile),
                MaxFileBytes = parse.GetValue(maxBytes),
                ConfigPath = parse.GetValue(config),
                RulesDir = parse.GetValue(rules),
            };
            return (int)await RunAsync(request, Console.Out, Console.Error, ct);
        });
        return new Command("host", "Find the MCP servers on this machine (configs, processes, loopback listeners)")
        {
            scan,
        };
    }

    internal sealed record HostScanRequest
    {
        public string[] Homes { get; init; } = [];
        public string? Os { get; init; }
        public string? SystemRoot { get; init; }
        public string[] Projects { get; init; } = [];
        public bool Processes { get; init; }
        public bool Listeners { get; init; }
        public string Format { get; init; } = "table";
        public string[] FailOn { get; init; } = [];
        public string? ReportTo { get; init; }
        public string? Token { get; init; }
        public string? TokenFile { get; init; }
        public long MaxFileBytes { get; init; } = new ReadLimits().MaxFileBytes;
        public string? ConfigPath { get; init; }
        public string? RulesDir { get; init; }
    }

    internal static async Task<ExitCode> RunAsync(HostScanRequest r, TextWriter stdout, TextWriter stderr,
        CancellationToken ct)
    {
        HostVerdicts verdicts;
        ShadowMcpConfig config;
        try
        {
            config = ShadowMcpConfig.Load(r.ConfigPath);
            verdicts = new HostVerdicts([.. SanctionedSources.Collect(config)], [.. config.SanctionedPackages()]);
        }
        catch (ConfigException ex)
        {
            await stderr.WriteLineAsync($"error: {ex.Message}");
            return ExitCode.Usage;
        }
        string? token = null;
        if (r.ReportTo is not null && (token = ReadToken(r, stderr)) is null) return ExitCode.Usage;

        _ = HostOsNames.TryParse(r.Os, out var hostOs); // no or an unknown --os: the default
        var live = r.Homes.Length == 0 && r.Os is null;
        var options = new HostScanOptions
        {
            Homes = r.Homes,
            Os = r.Os is null ? HostOsNames.Current : hostOs,
            // A live scan reads this machine's managed files; a copied profile only those under the given root.
            SystemRoot = r.SystemRoot ?? (live ? Path.GetPathRoot(HomeOfCurrentUser) : null),
            Projects = r.Projects,
            MovedFolders = live ? MovedAgentFolders() : new Dictionary<string, string>(),
            Limits = new ReadLimits { MaxFileBytes = Math.Max(1024, r.MaxFileBytes) },
        };
        var inventory = new HostScanner(TimeProvider.System).Scan(options);
        if (r.Processes)
        {
            var declared = inventory.Servers.Select(s => s.Package?.Name).OfType<string>()
                .ToHashSet(StringComparer.Ordinal);
            var (running, secrets) = new ProcessScanner().Scan(declared);
            inventory = inventory with
            {
                Servers = [.. inventory.Servers, .. running],
                Secrets = [.. inventory.Secrets, .. secrets],
            };
        }
        var findings = HostFindings.Build(inventory, verdicts);
        if (r.Listeners)
        {
            var classifier = ClassifierSetup.TryCreate(r.RulesDir, r.ConfigPath, out var failure);
            if (classifier is null) return failure;
            var probe = new ListenerProbe(classifier, new ProbeOptions());
            var answered = await probe.ProbeAsync(LoopbackListeners.Read(), ct);
            foreach (var f in answered) f.Clients.Add(inventory.HostName);
            findings = [.. findings, .. answered];
        }
        var report = HostReportDocument.From(inventory, findings, verdicts);

        if (r.Format == "json") await stdout.WriteLineAsync(JsonSerializer.Serialize(report, JsonDefaults.Indented));
        else HostTableWriter.Write(report, stdout);
        foreach (var p in inventory.Problems) await stderr.WriteLineAsync($"warning: {p}");

        if (r.ReportTo is not null)
        {
            // HttpClient's own default: a busy serve (first ingest migrates its store) is slow, not gone.
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(100) };
            Uri target;
            try { target = InventoryUploader.IngestUri(r.ReportTo); }
            catch (FormatException ex)
            {
                await stderr.WriteLineAsync($"error: {ex.Message}");
                return ExitCode.Usage;
            }
            var (ok, message) = await new InventoryUploader(http).PostAsync(target, token!, report, ct);
            await stderr.WriteLineAsync(ok ? $"reported to {message}" : $"error: report not accepted: {message}");
            if (!ok) return ExitCode.BackendFailed;
        }
        var failVerdicts = r.FailOn.Select(v => VerdictNames.TryParse(v, out var x) ? x : (Verdict?)null)
            .OfType<Verdict>().ToHashSet();
        return findings.Any(f => failVerdicts.Contains(f.Verdict)) ? ExitCode.FindingsFailOn : ExitCode.Success;
    }

    /// <summary>The agent folders this user's environment moves (CODEX_HOME, COPILOT_HOME), for a live scan.</summary>
    private static Dictionary<string, string> MovedAgentFolders() =>
        AgentCatalog.For(HostOsNames.Current).Select(l => l.MovedBy).OfType<string>().Distinct()
            .Select(v => (v, Dir: Environment.GetEnvironmentVariable(v)))
            .Where(x => !string.IsNullOrWhiteSpace(x.Dir))
            .ToDictionary(x => x.v, x => x.Dir!, StringComparer.Ordinal);

    private static string HomeOfCurrentUser => Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);

    private static string? ReadToken(HostScanRequest r, TextWriter stderr)
    {
        var token = TokenSource.Read(r.Token, r.TokenFile, "--token-file", TokenVariable, out var unreadable);
        if (token is null)
            stderr.WriteLine(unreadable is not null ? $"error: {unreadable}"
                : $"error: --report-to needs a host-ingest token: --token, --token-file or ${TokenVariable}");
        return token;
    }
}
