using System.Text.Json;
using ShadowMcp.Core.Text;
using ShadowMcp.Enforcer.Engine;
using ShadowMcp.Enforcer.Planning;
using ShadowMcp.Enforcer.Store;

namespace ShadowMcp.Enforcer.Cli;

/// <summary>Writes plans and run reports as text for people or JSON for tools.</summary>
internal static class PlanWriter
{
    // Finding keys, names, paths and tool errors come from the wire or from backends; every text line goes through
    // here so none of them can move the cursor, start an escape sequence or forge a line of its own.
    internal static void Line(TextWriter w, string line) => w.WriteLine(TerminalText.Escape(line));

    public static void WriteText(TextWriter w, BlockPlan plan)
    {
        Line(w, $"{plan.Entries.Count} entr{(plan.Entries.Count == 1 ? "y" : "ies")} wanted:");
        foreach (var p in plan.Entries) Line(w, $"  {p.Entry}  <- {string.Join(", ", p.Findings)}");
        foreach (var a in plan.SparedAddresses)
            Line(w, $"address not blocked: {a.Finding}: {a.Address} also serves sanctioned {a.SanctionedName}; blocked by name and path only");
        foreach (var p in plan.PassedOver)
            Line(w, $"not blocked: {p.Finding} rests on {string.Join(" ", p.Bases)} only (select.bases)");
        foreach (var b in plan.Backends)
        {
            foreach (var c in b.Collateral) Line(w, $"{b.Backend}: COLLATERAL {c}");
            if (b.Error is not null)
            {
                Line(w, $"{b.Backend}: ERROR {b.Error}");
                continue;
            }
            if (!b.HasChanges)
            {
                Line(w, $"{b.Backend}: no change ({b.Current.Count} held)");
                continue;
            }
            Line(w, $"{b.Backend}: +{b.Added.Count} -{b.Removed.Count}");
            foreach (var e in b.Added) Line(w, $"  + {e}");
            foreach (var e in b.Removed) Line(w, $"  - {e}");
        }
    }

    public static void WriteJson(TextWriter w, BlockPlan plan)
    {
        var doc = new
        {
            createdAt = plan.CreatedAt,
            changes = plan.HasChanges,
            entries = plan.Entries.Select(p => new { entry = p.Entry, findings = p.Findings }),
            passedOver = plan.PassedOver.Select(p => new { finding = p.Finding, bases = p.Bases }),
            sparedAddresses = plan.SparedAddresses.Select(a => new { finding = a.Finding, address = a.Address, sanctionedName = a.SanctionedName }),
            backends = plan.Backends.Select(b => new
            {
                name = b.Backend,
                error = b.Error,
                current = b.Current,
                desired = b.Desired,
                added = b.Added,
                removed = b.Removed,
                collateral = b.Collateral.Select(c => new { entry = c.Entry, reach = c.Reach, count = c.Others.Count, others = c.Others }),
            }),
        };
        w.WriteLine(JsonSerializer.Serialize(doc, new JsonSerializerOptions(EntryJson.Options) { WriteIndented = true }));
    }

    /// <summary>Intent rows of a killed run that this run resolved first.</summary>
    public static void WriteReconciled(TextWriter w, IReadOnlyList<ActionRow> rows)
    {
        foreach (var a in rows)
            Line(w, $"reconciled action {a.Id} {a.Backend} ({a.Command} run {a.RunId}): {a.Result}{(a.Error is null ? " - the change had landed; record completed" : " - " + a.Error)}");
    }

    public static void WriteReport(TextWriter w, RunReport report)
    {
        Line(w, $"{report.Command} run {report.RunId}:");
        foreach (var a in report.Actions)
        {
            // A TTL row lists entry keys, not entries.
            var what = a.Backend == Commands.TtlBackend
                ? $"expired {a.RemovedJson}"
                : $"+{EntryJson.Read(a.AddedJson).Count} -{EntryJson.Read(a.RemovedJson).Count}";
            Line(w, $"  action {a.Id} {a.Backend}: {a.Result} {what}{(a.Error is null ? "" : " - " + a.Error)}");
        }
        foreach (var u in report.Unchanged) Line(w, $"  {u}: no change");
        if (report.Actions.Count == 0 && report.Unchanged.Count == 0) w.WriteLine("  nothing to do");
    }
}
