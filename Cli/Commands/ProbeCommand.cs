using System.CommandLine;
using System.Globalization;
using System.Net;
using ShadowMcp.Cli.Output;
using ShadowMcp.Cli.Scanning;
using ShadowMcp.Core.Observations;
using ShadowMcp.Core.Store;
using ShadowMcp.Scanner.Active;
using ShadowMcp.Core;
using ShadowMcp.Core.Findings;

namespace ShadowMcp.Cli.Commands;

/// <summary>
/// `shadowmcp probe TARGET... --allow CIDR...`: actively ask allow-listed hosts whether they speak MCP. Targets outside
/// the allow list are refused before any packet is sent.
/// </summary>
internal static class ProbeCommand
{
    public static Command Create()
    {
        var targets = new Argument<string[]>("targets") { Arity = ArgumentArity.OneOrMore, Description = "Addresses, CIDR ranges (up to 4096 addresses) or host names" };
        var allow = new Option<string[]>("--allow") { Description = "Address ranges probes may touch (required; nothing else is ever contacted)", AllowMultipleArgumentsPerToken = true };
        var ports = new Option<string>("--ports") { Description = "Ports and ranges", DefaultValueFactory = _ => "80,3000,3001,8000,8080,8765,8931" };
        var paths = new Option<string>("--paths") { Description = "HTTP paths to try", DefaultValueFactory = _ => "/mcp,/sse,/" };
        var dnsServer = new Option<string?>("--dns-server") { Description = "Resolver for host-name targets, IP[:PORT] (default: the system's)" };
        var timeout = new Option<int>("--timeout-ms") { Description = "Per-request timeout", DefaultValueFactory = _ => 3000 };
        var format = new Option<string>("--format", "-f") { Description = "table or json", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("table", "json");
        var tls = new Option<bool>("--tls")
        {
            Description = "Probe over HTTPS (TLS, SNI = the target's host name). The server certificate is NOT validated: "
                + "a discovery probe of your own allow-listed hosts must also find self-signed ones; add --tls-verify to validate",
        };
        var tlsVerify = new Option<bool>("--tls-verify") { Description = "With --tls: validate the server certificate (chain and host name)" };
        var noStore = new Option<bool>("--no-store") { Description = "Do not write results to the store" };
        var db = CommonOptions.Db();
        var rules = CommonOptions.Rules();
        var config = CommonOptions.Config();
        var cmd = new Command("probe", "Actively probe allow-listed hosts for MCP endpoints") { targets, allow, ports, paths, dnsServer, timeout, tls, tlsVerify, format, noStore, db, rules, config };
        cmd.SetAction(async (parse, ct) =>
        {
            try
            {
                if (parse.GetValue(tlsVerify) && !parse.GetValue(tls)) throw new FormatException("--tls-verify needs --tls");
                var allowList = AddressAllowList.Parse(parse.GetValue(allow) ?? []);
                if (allowList.Ranges.Count == 0) throw new FormatException("--allow is required: give the ranges you may probe");
                var portList = ParsePorts(parse.GetValue(ports)!);
                var resolver = new TargetResolver(allowList, ParseEndpoint(parse.GetValue(dnsServer)));
                var list = await resolver.ResolveAsync(parse.GetValue(targets)!, portList, ct);
                var options = new ProbeOptions
                {
                    Paths = [.. parse.GetValue(paths)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)],
                    Timeout = TimeSpan.FromMilliseconds(Math.Max(100, parse.GetValue(timeout))),
                    // Certificates are not validated unless --tls-verify: see ProbeOptions.ValidateCertificate.
                    Tls = parse.GetValue(tls),
                    ValidateCertificate = parse.GetValue(tlsVerify),
                };
                return (int)await Run(allowList, list, options, parse.GetValue(format)!, parse.GetValue(noStore), parse.GetValue(db),
                    parse.GetValue(rules), parse.GetValue(config), ct);
            }
            catch (Exception ex) when (ex is FormatException or ProbeRefusedException or DnsClient.DnsResponseException)
            {
                Console.Error.WriteLine($"error: {ex.Message}");
                return (int)ExitCode.Usage;
            }
        });
        return cmd;
    }

    private static async Task<ExitCode> Run(AddressAllowList allowList, IReadOnlyList<ProbeTarget> targets, ProbeOptions options, string format,
        bool noStore, string? dbPath, string? rulesDir, string? configPath, CancellationToken ct)
    {
        var classifier = ClassifierSetup.TryCreate(rulesDir, configPath, out var failure);
        if (classifier is null) return failure;
        var stats = new ScanStats();
        var aggregator = classifier.CreateAggregator();
        var started = DateTime.UtcNow;
        await new McpProber(allowList, options).ProbeAsync(targets, new AggregatingSink(aggregator, stats), ct);
        var findings = FindingOrder.ForDisplay(aggregator.Snapshot());
        if (!noStore)
        {
            try
            {
                using var store = FindingStore.Open(dbPath ?? StorePaths.Default);
                // The path marks the findings as the probe's own: their basis is "probe" (BasisRules).
                store.SaveFileResult(BasisRules.ProbeSourcePath, $"probe:{started:yyyyMMddTHHmmssfffZ}", 0, stats, null, findings, DateTime.UtcNow);
            }
            catch (StoreException ex)
            {
                Console.Error.WriteLine($"error: {ex.Message}");
                return ExitCode.StoreError;
            }
        }
        IScanReportWriter writer = format == "json" ? new JsonScanReportWriter() : new TableScanReportWriter();
        writer.Write(new ScanReport(findings, stats, []), Console.Out);
        return ExitCode.Success;
    }

    internal static IReadOnlyList<int> ParsePorts(string text)
    {
        var ports = new SortedSet<int>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var dash = part.IndexOf('-');
            if (dash < 0) ports.Add(Port(part));
            else
            {
                int from = Port(part[..dash]), to = Port(part[(dash + 1)..]);
                if (to < from || to - from > 10_000) throw new FormatException($"port range '{part}' is reversed or wider than 10000 ports");
                for (int p = from; p <= to; p++) ports.Add(p);
            }
        }
        if (ports.Count == 0) throw new FormatException("--ports names no port");
        return [.. ports];

        static int Port(string s) => int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p is > 0 and < 65536
            ? p : throw new FormatException($"'{s}' is not a port number");
    }

    private static IPEndPoint? ParseEndpoint(string? text)
    {
        if (text is null) return null;
        if (IPEndPoint.TryParse(text, out var ep)) { if (ep.Port == 0) ep.Port = 53; return ep; }
        throw new FormatException($"--dns-server '{text}' is not IP[:PORT]");
    }
}
