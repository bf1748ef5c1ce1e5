using Spectre.Console;
using ShadowMcp.Core.Findings;
using ShadowMcp.Core.Text;

namespace ShadowMcp.Cli.Output;

/// <summary>The human view: one row per finding, strongest evidence first, then totals.</summary>
public sealed class TableScanReportWriter : IScanReportWriter
{
    public void Write(ScanReport report, TextWriter stdout)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(stdout),
            Ansi = stdout == Console.Out && !Console.IsOutputRedirected ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = stdout == Console.Out && !Console.IsOutputRedirected ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
        });
        if (!Console.IsOutputRedirected) console.Profile.Width = Math.Max(console.Profile.Width, 120);
        else console.Profile.Width = 200;

        if (report.Findings.Count == 0)
        {
            console.WriteLine("No MCP traffic found.");
        }
        else
        {
            var table = new Table().Border(TableBorder.Rounded)
                .AddColumn("Verdict").AddColumn("Endpoint").AddColumn("Transport").AddColumn("Protocol")
                .AddColumn("Server").AddColumn("Clients").AddColumn(new TableColumn("Flows").RightAligned())
                .AddColumn(new TableColumn("Conf.").RightAligned()).AddColumn("Evidence");
            foreach (var f in report.Findings)
            {
                // Every value from the wire goes through T: the table's own line breaks join escaped parts.
                table.AddRow(
                    new Markup(VerdictMarkup(f.Verdict)),
                    new Text(T(f.Endpoint.ToString()) + (f.Hosts.Count > 0 && f.Endpoint.Host is null ? $"\n{T(string.Join(", ", f.Hosts))}" : "")),
                    new Text(T(f.Transport)),
                    new Text(T(string.Join(", ", f.ProtocolVersions))),
                    new Text(f.Server is null ? "" : T($"{f.Server.Name} {f.Server.Version}".Trim())),
                    new Text(T(string.Join(", ", f.Clients.Take(3))) + (f.Clients.Count > 3 ? $" +{f.Clients.Count - 3}" : "")),
                    new Text(f.Flows.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                    new Text(f.Confidence.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture)),
                    new Text(string.Join("\n", f.Evidence.Take(4).Select(e => T(e.Rule))) + (f.Evidence.Count > 4 ? $"\n+{f.Evidence.Count - 4} more" : "")));
            }
            console.Write(table);
        }
        var s = report.Stats;
        console.WriteLine($"{s.Files} file(s), {s.Packets:N0} packets, {s.Bytes:N0} bytes, {s.Flows:N0} flows, {s.Malformed:N0} malformed, {s.Observations:N0} observations.");
        if (s.CaptureReceived is { } received)
            console.WriteLine($"Capture: kernel received {received:N0}, dropped {s.CaptureDropped ?? 0:N0}, "
                + $"interface dropped {s.CaptureInterfaceDropped ?? 0:N0} packets.");
        // A parser fault is the scanner's problem, not the file's: it is named and the scan went on without that flow.
        if (s.AnalyzerFaults > 0)
            console.WriteLine($"{s.AnalyzerFaults:N0} analyzer fault(s); each dropped its flow: "
                + T(string.Join("; ", s.Anomalies.Take(5))) + (s.AnalyzerFaults > 5 ? "; ..." : ""));
        if (s.TlsDecryptedFlows + s.TlsFlowsWithoutKeys + s.TlsBadRecords > 0)
            console.WriteLine($"TLS: {s.TlsDecryptedFlows:N0} flows decrypted, {s.TlsFlowsWithoutKeys:N0} without keys, "
                + $"{s.TlsBadRecords:N0} bad records; {s.TlsRecordsDecrypted:N0} records decrypted, "
                + $"{s.TlsRecordsUndecryptable:N0} failed to decrypt, {s.TlsUnsupportedCipherFlows:N0} flows on an "
                + $"unsupported cipher, {s.TlsDecryptedUnrecognized:N0} decrypted flows unrecognised.");
        if (s.Http2Frames + s.Http2Stopped + s.Http2HpackErrors + s.Http2HpackBombs + s.Http2StreamsRefused > 0)
            console.WriteLine($"HTTP/2: {s.Http2Frames:N0} frames, {s.Http2Stopped:N0} directions stopped, "
                + $"{s.Http2HpackErrors:N0} HPACK errors, {s.Http2HpackBombs:N0} HPACK bombs, "
                + $"{s.Http2StreamsRefused:N0} idle streams given up.");
        if (s.DecompressionBombs + s.CompressedBodiesCorrupt > 0)
            console.WriteLine($"Compressed bodies: {s.DecompressionBombs:N0} capped as bombs, "
                + $"{s.CompressedBodiesCorrupt:N0} corrupt.");
        if (s.EndpointHitsFolded + s.EndpointsEvicted + s.ContextEndpointsEvicted + s.AddressNamesForgotten + s.ClientsDisplaced + s.NamesDisplaced > 0)
            console.WriteLine($"Endpoint limits: {s.EndpointHitsFolded:N0} hits folded past a server's path limit, "
                + $"{s.EndpointsEvicted:N0} endpoints with evidence and {s.ContextEndpointsEvicted:N0} with context only given up, "
                + $"{s.AddressNamesForgotten:N0} addresses' DNS names forgotten, {s.ClientsDisplaced:N0} clients and {s.NamesDisplaced:N0} names displaced.");
        // Beside a reason that says no answer tied the name, the default output says one was there and not taken.
        if (s.UntrustedResolverAnswers > 0)
            console.WriteLine(s.UntrustedResolverAnswers == 1
                ? "DNS: 1 answer for a sanctioned name from a resolver off trustedResolvers ignored."
                : $"DNS: {s.UntrustedResolverAnswers:N0} answers for sanctioned names from resolvers off trustedResolvers ignored.");
        foreach (var e in report.Errors) console.WriteLine($"error: {T(e.ToString())}");
    }

    private static string T(string text) => TerminalText.Escape(text);

    private static string VerdictMarkup(Verdict v) => v switch
    {
        Verdict.Shadow => "[red bold]shadow[/]",
        Verdict.Sanctioned => "[green]sanctioned[/]",
        _ => "[yellow]suspected[/]",
    };
}
