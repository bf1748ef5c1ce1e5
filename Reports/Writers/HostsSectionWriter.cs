using System.Text;
using ShadowMcp.Reports.Model;

namespace ShadowMcp.Reports.Writers;

/// <summary>The "MCP servers on hosts" section in Markdown and HTML; every stored value is escaped.</summary>
internal static class HostsSectionWriter
{
    public static void Markdown(StringBuilder sb, HostsSection? hosts)
    {
        void L(string line = "") => sb.Append(line).Append('\n');
        static string E(string v) => MarkdownReportWriter.E(v);
        L("## MCP servers on hosts");
        L();
        if (hosts is null || !hosts.Status.Configured)
        {
            L($"_{E(hosts?.Status.Note ?? "No host inventories have been received.")}_");
            L();
            return;
        }
        L($"{E(hosts.Status.Note)} Shadow: {Text.Count(hosts.ShadowServers)}; new: {Text.Count(hosts.New.Count)}; gone: {Text.Count(hosts.Gone.Count)}; plaintext secrets: {Text.Count(hosts.Secrets.Count)}.");
        L();
        Table("New on hosts", hosts.New);
        Table("Gone from hosts", hosts.Gone);
        L("### By package");
        L();
        L("| Package or URL | Verdict | Hosts | Declarations |");
        L("|---|---|---:|---:|");
        foreach (var p in hosts.ByPackage) L($"| {E(p.What)} | {E(p.Verdict)} | {Text.Count(p.Hosts)} | {Text.Count(p.Declarations)} |");
        L();
        L("### By agent");
        L();
        L("| Agent | Hosts | Servers | Shadow |");
        L("|---|---:|---:|---:|");
        foreach (var a in hosts.ByAgent) L($"| {E(a.Agent)} | {Text.Count(a.Hosts)} | {Text.Count(a.Servers)} | {Text.Count(a.ShadowServers)} |");
        L();
        L("### Secrets found in agent configs");
        L();
        if (hosts.Secrets.Count == 0) L("None.");
        else
        {
            L("| Host | Agent | Server | Where | Kind | File |");
            L("|---|---|---|---|---|---|");
            foreach (var s in hosts.Secrets) L($"| {E(s.Host)} | {E(s.Agent)} | {E(s.Server)} | {E(s.Location)} | {E(s.Kind)} | {E(s.ConfigPath)} |");
        }
        L();

        void Table(string title, IReadOnlyList<HostServerChange> rows)
        {
            L($"### {title}");
            L();
            if (rows.Count == 0) { L("None."); L(); return; }
            L("| Host | Package or URL | Verdict | Agents |");
            L("|---|---|---|---|");
            foreach (var c in rows) L($"| {E(c.Host)} | {E(c.What)} | {E(c.Verdict)} | {E(c.Agents)} |");
            L();
        }
    }

    public static void Html(StringBuilder sb, HostsSection? hosts)
    {
        void L(string line) => sb.Append(line).Append('\n');
        static string H(string v) => Text.Html(v);
        L("<h2>MCP servers on hosts</h2>");
        if (hosts is null || !hosts.Status.Configured)
        {
            L($"<p class=\"na\">{H(hosts?.Status.Note ?? "No host inventories have been received.")}</p>");
            return;
        }
        L($"<p>{H(hosts.Status.Note)} Shadow: {Text.Count(hosts.ShadowServers)}; new: {Text.Count(hosts.New.Count)}; gone: {Text.Count(hosts.Gone.Count)}; plaintext secrets: {Text.Count(hosts.Secrets.Count)}.</p>");
        Changes("New on hosts", hosts.New);
        Changes("Gone from hosts", hosts.Gone);
        L("<h3>By package</h3><table><tr><th>Package or URL</th><th>Verdict</th><th class=\"n\">Hosts</th><th class=\"n\">Declarations</th></tr>");
        foreach (var (p, cls) in Capped(hosts.ByPackage)) L($"<tr{cls}><td><code>{H(p.What)}</code></td><td>{H(p.Verdict)}</td><td class=\"n\">{Text.Count(p.Hosts)}</td><td class=\"n\">{Text.Count(p.Declarations)}</td></tr>");
        L("</table>");
        More(hosts.ByPackage.Count);
        L("<h3>By agent</h3><table><tr><th>Agent</th><th class=\"n\">Hosts</th><th class=\"n\">Servers</th><th class=\"n\">Shadow</th></tr>");
        foreach (var (a, cls) in Capped(hosts.ByAgent)) L($"<tr{cls}><td>{H(a.Agent)}</td><td class=\"n\">{Text.Count(a.Hosts)}</td><td class=\"n\">{Text.Count(a.Servers)}</td><td class=\"n\">{Text.Count(a.ShadowServers)}</td></tr>");
        L("</table>");
        More(hosts.ByAgent.Count);
        L("<h3>Secrets found in agent configs</h3>");
        if (hosts.Secrets.Count == 0) L("<p>None.</p>");
        else
        {
            L("<table><tr><th>Host</th><th>Agent</th><th>Server</th><th>Where</th><th>Kind</th><th>File</th></tr>");
            foreach (var (s, cls) in Capped(hosts.Secrets))
                L($"<tr{cls}><td>{H(s.Host)}</td><td>{H(s.Agent)}</td><td>{H(s.Server)}</td><td>{H(s.Location)}</td><td>{H(s.Kind)}</td><td><code>{H(s.ConfigPath)}</code></td></tr>");
            L("</table>");
            More(hosts.Secrets.Count);
        }

        void Changes(string title, IReadOnlyList<HostServerChange> rows)
        {
            L($"<h3>{H(title)}</h3>");
            if (rows.Count == 0) { L("<p>None.</p>"); return; }
            L("<table><tr><th>Host</th><th>Package or URL</th><th>Verdict</th><th>Agents</th></tr>");
            foreach (var (c, cls) in Capped(rows)) L($"<tr{cls}><td>{H(c.Host)}</td><td><code>{H(c.What)}</code></td><td>{H(c.Verdict)}</td><td>{H(c.Agents)}</td></tr>");
            L("</table>");
            More(rows.Count);
        }

        void More(int total)
        {
            if (total > AppendixCaps.Screen) L($"<p class=\"more only-screen\">and {Text.Count(total - AppendixCaps.Screen)} more in the JSON report.</p>");
            if (total > AppendixCaps.Print) L($"<p class=\"more only-print\">and {Text.Count(total - AppendixCaps.Print)} more in the HTML and JSON reports.</p>");
        }
    }

    /// <summary>The first <see cref="AppendixCaps.Screen"/> rows, those past the print cap marked to be hidden in print.</summary>
    private static IEnumerable<(T Row, string Class)> Capped<T>(IReadOnlyList<T> rows) =>
        rows.Take(AppendixCaps.Screen).Select((r, i) => (r, i < AppendixCaps.Print ? "" : " class=\"np\""));
}
