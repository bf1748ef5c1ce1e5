using Spectre.Console;

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
        console.WriteLine($"Host {report.HostName} ({report.Os}): {report.Servers.Length} servers in {report.FilesRead} config files, "
            + $"{report.Secrets.Length} secrets, {report.Errors.Length} unreadable files");
        if (report.Servers.Length > 0)
        {
            var table = new Table().AddColumns("Verdict", "Agent", "Server", "Transport", "Package / URL", "Enabled", "Config");
            foreach (var s in report.Servers.OrderBy(s => s.Verdict, StringComparer.Ordinal).ThenBy(s => s.Agent, StringComparer.Ordinal))
            {
                var what = s.Url ?? (s.PackageId is null ? s.Command ?? "" : $"{s.PackageId} ({s.Launcher})");
                table.AddRow(Markup.Escape(s.Verdict), Markup.Escape(s.Agent), Markup.Escape(s.Name), Markup.Escape(s.Transport),
                    Markup.Escape(what), s.Enabled ? "yes" : "no", Markup.Escape(s.ConfigPath));
            }
            console.Write(table);
        }
        if (report.Secrets.Length > 0)
        {
            var secrets = new Table().AddColumns("Secret", "Where", "Server", "Agent", "Config", "Value");
            foreach (var s in report.Secrets)
                secrets.AddRow(Markup.Escape(s.Kind), Markup.Escape(s.Location), Markup.Escape(s.Server), Markup.Escape(s.Agent),
                    Markup.Escape(s.ConfigPath), Markup.Escape(s.Value));
            console.Write(secrets);
        }
    }
}
