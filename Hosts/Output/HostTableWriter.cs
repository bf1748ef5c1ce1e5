using Spectre.Console;
using ShadowMcp.Core.Text;

namespace ShadowMcp.Hosts.Output;

/// <summary>`host scan --format table`: one row per declared server, then the secrets (kind and place, never the value).</summary>
public static class HostTableWriter
{
    public static void Write(HostReportDocument report, TextWriter stdout)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(stdout),
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        console.Profile.Width = Math.Max(console.Profile.Width, 160);
        console.WriteLine($"Host {TerminalText.Escape(report.HostName)} ({TerminalText.Escape(report.Os)}): {report.Servers.Length} servers in {report.FilesRead} config files, "
            + $"{report.Secrets.Length} secrets, {report.Errors.Length} unreadable files");
        if (report.Servers.Length > 0)
        {
            var table = new Table().AddColumns("Verdict", "Agent", "Server", "Transport", "Package / URL", "Enabled", "Config");
            foreach (var s in report.Servers.OrderBy(s => s.Verdict, StringComparer.Ordinal).ThenBy(s => s.Agent, StringComparer.Ordinal))
            {
                var what = s.Url ?? (s.PackageId is null ? s.Command ?? "" : $"{s.PackageId} ({s.Launcher})");
                table.AddRow(E(s.Verdict), E(s.Agent), E(s.Name), E(s.Transport),
                    E(what), s.Enabled ? "yes" : "no", E(s.ConfigPath));
            }
            console.Write(table);
        }
        if (report.Secrets.Length > 0)
        {
            var secrets = new Table().AddColumns("Secret", "Where", "Server", "Agent", "Config", "Value");
            foreach (var s in report.Secrets)
                secrets.AddRow(E(s.Kind), E(s.Location), E(s.Server), E(s.Agent),
                    E(s.ConfigPath), E(s.Value));
            console.Write(secrets);
        }
    }

    // Names, commands and URLs are read from config files anyone on the host may write: no markup, and no control or
    // format character reaches the terminal (see TerminalText).
    private static string E(string? text) => Markup.Escape(TerminalText.Escape(text));
}
