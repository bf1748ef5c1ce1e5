using System.CommandLine;
using System.Text.Json;
using ShadowMcp.Cli.Siem;
using ShadowMcp.Core;
using ShadowMcp.Core.Findings;
using ShadowMcp.Core.Store;

namespace ShadowMcp.Cli.Commands;

/// <summary>
/// `shadowmcp export --ocsf`: the store's findings as OCSF Detection Finding events, one JSON object per line, to
/// stdout or appended to a file a SIEM agent tails (docs/siem.md).
/// </summary>
internal static class ExportCommand
{
    public static Command Create(TimeProvider? time = null)
    {
        var ocsf = new Option<bool>("--ocsf") { Description = "Write OCSF 1.x Detection Finding events (class_uid 2004) as JSON lines" };
        var output = new Option<string?>("--out", "-o") { Description = "Append the lines to this file (default: stdout)" };
        var verdict = new Option<string>("--verdict")
        {
            Description = "Which findings: shadow, suspected, sanctioned or all",
            DefaultValueFactory = _ => "all",
        };
        verdict.AcceptOnlyFromAmong("shadow", "suspected", "sanctioned", "all");
        var db = CommonOptions.Db();
        var cmd = new Command("export", "Export findings for a SIEM (OCSF JSON lines)") { ocsf, output, verdict, db };
        cmd.SetAction(parse =>
        {
            if (!parse.GetValue(ocsf))
            {
                Console.Error.WriteLine("error: choose a format: --ocsf");
                return (int)ExitCode.Usage;
            }
            Verdict? only = VerdictNames.TryParse(parse.GetValue(verdict), out var v) ? v : null;
            IReadOnlyList<Finding> findings;
            try
            {
                using var store = FindingStore.Open(parse.GetValue(db) ?? StorePaths.Default);
                findings = store.LoadFindings(only);
            }
            catch (StoreException ex)
            {
                Console.Error.WriteLine($"error: {ex.Message}");
                return (int)ExitCode.StoreError;
            }
            var path = parse.GetValue(output);
            try
            {
                using var stream = path is null ? Console.OpenStandardOutput() : new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read);
                Write(stream, findings, (time ?? TimeProvider.System).GetUtcNow());
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
            {
                Console.Error.WriteLine($"error: --out {path}: cannot write: {e.Message}");
                return (int)ExitCode.InvalidInput;
            }
            return (int)ExitCode.Success;
        });
        return cmd;
    }

    /// <summary>One compact JSON object and a newline per finding.</summary>
    internal static void Write(Stream stream, IEnumerable<Finding> findings, DateTimeOffset now)
    {
        using var writer = new Utf8JsonWriter(stream);
        foreach (var f in findings)
        {
            OcsfDetectionFinding.Write(writer, f, now);
            writer.Flush();
            stream.WriteByte((byte)'\n');
            writer.Reset();
        }
        stream.Flush();
    }
}
