using System.Globalization;
using System.Text;
using System.Text.Json;
using ShadowMcp.Classifier.Shape;

namespace ShadowMcp.Cli.Shape;

/// <summary>
/// `shadowmcp shape score`: every row of a feature table scored by one model at one threshold, counted per family,
/// client stack and transport, split by the row's label. What the corpus rounds did before by scanning captures
/// again or appending rows to a table's held-out quarter.
/// </summary>
internal sealed record ShapeScoring(
    double Threshold,
    IReadOnlyList<ShapeScoring.Row> Rows,
    IReadOnlyList<ShapeScoring.Group> Families,
    IReadOnlyList<ShapeScoring.Group> Stacks,
    IReadOnlyList<ShapeScoring.Group> Transports)
{
    /// <summary>One flow of the table and its score.</summary>
    public sealed record Row(ShapeSample Sample, string Session, double Score);

    /// <summary>Flows of one label in one family, stack or transport: how many the model marks, of how many.</summary>
    public sealed record Group(string Name, bool IsMcp, int Marked, int Total, double Highest);

    public int McpMarked => Rows.Count(r => r.Sample.IsMcp && r.Score >= Threshold);
    public int Mcp => Rows.Count(r => r.Sample.IsMcp);
    public int NotMcpMarked => Rows.Count(r => !r.Sample.IsMcp && r.Score >= Threshold);
    public int NotMcp => Rows.Count(r => !r.Sample.IsMcp);

    /// <summary>Scores the table's rows; the table must have the model's features (<see cref="ShapeTable.Read"/>).</summary>
    public static ShapeScoring Of(ShapeModel model, IReadOnlyList<(ShapeSample Sample, string Session)> table,
        double? threshold = null)
    {
        var t = threshold ?? model.Threshold;
        var rows = table.Select(r => new Row(r.Sample, r.Session, model.Score(r.Sample.Features))).ToList();
        return new ShapeScoring(t, rows, Groups(rows, r => r.Family, t), Groups(rows, r => r.ClientStack, t),
            Groups(rows, r => r.Transport, t));
    }

    private static List<Group> Groups(List<Row> rows, Func<ShapeSample, string> key, double threshold) =>
        rows.GroupBy(r => (Name: key(r.Sample), r.Sample.IsMcp))
            .OrderBy(g => g.Key.IsMcp ? 0 : 1).ThenBy(g => g.Key.Name, StringComparer.Ordinal)
            .Select(g => new Group(g.Key.Name, g.Key.IsMcp, g.Count(r => r.Score >= threshold), g.Count(),
                g.Max(r => r.Score)))
            .ToList();

    public string ToMarkdown(string title)
    {
        var c = CultureInfo.InvariantCulture;
        var b = new StringBuilder();
        b.AppendLine(c, $"#### {title}").AppendLine();
        b.AppendLine(c, $"Threshold {Threshold:0.####}: MCP flows marked mcp {McpMarked}/{Mcp} ({Rate(McpMarked, Mcp)}); " +
            $"non-MCP flows marked mcp {NotMcpMarked}/{NotMcp} ({Rate(NotMcpMarked, NotMcp)}).").AppendLine();
        foreach (var (heading, groups) in new[] { ("family", Families), ("client stack", Stacks), ("transport", Transports) })
        {
            b.AppendLine(c, $"| {heading} | label | marked mcp | highest score |").AppendLine("|---|---|---|---|");
            foreach (var g in groups)
                b.AppendLine(c, $"| {g.Name} | {(g.IsMcp ? "mcp" : "not-mcp")} | {g.Marked}/{g.Total} | {g.Highest:0.###} |");
            b.AppendLine();
        }
        return b.ToString();
    }

    public string ToJson(string table, string model)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("table", table);
            w.WriteString("model", model);
            w.WriteNumber("threshold", Threshold);
            WriteCount(w, "mcp", McpMarked, Mcp);
            WriteCount(w, "notMcp", NotMcpMarked, NotMcp);
            foreach (var (name, groups) in new[] { ("families", Families), ("stacks", Stacks), ("transports", Transports) })
            {
                w.WriteStartArray(name);
                foreach (var g in groups)
                {
                    w.WriteStartObject();
                    w.WriteString("name", g.Name);
                    w.WriteString("label", g.IsMcp ? "mcp" : "not-mcp");
                    w.WriteNumber("marked", g.Marked);
                    w.WriteNumber("total", g.Total);
                    w.WriteNumber("highest", Math.Round(g.Highest, 6));
                    w.WriteEndObject();
                }
                w.WriteEndArray();
            }
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    /// <summary>Each flow's score, as CSV: the table's fixed columns and the score (to join or plot).</summary>
    public IEnumerable<string> ScoreLines()
    {
        yield return "flow,session,family,client_stack,transport,label,score";
        foreach (var r in Rows)
            yield return string.Join(',', r.Sample.Flow, r.Session, r.Sample.Family, r.Sample.ClientStack,
                r.Sample.Transport, r.Sample.IsMcp ? "mcp" : "not-mcp", r.Score.ToString("0.######", CultureInfo.InvariantCulture));
    }

    private static void WriteCount(Utf8JsonWriter w, string name, int marked, int total)
    {
        w.WriteStartObject(name);
        w.WriteNumber("marked", marked);
        w.WriteNumber("total", total);
        w.WriteEndObject();
    }

    private static string Rate(int hit, int of) =>
        (of == 0 ? 0 : hit / (double)of).ToString("P1", CultureInfo.InvariantCulture);
}
