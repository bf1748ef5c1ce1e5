using System.Globalization;

namespace ShadowMcp.Classifier.Shape;

/// <summary>
/// The feature table (CSV): <c>flow,session,family,client_stack,transport,label,</c> then one column per feature.
/// <c>label</c> is <c>mcp</c> or <c>not-mcp</c>, as the decrypted scan of the flow decided.
/// </summary>
public static class ShapeTable
{
    private const int Fixed = 6;

    public static string Header(IReadOnlyList<string> features) =>
        "flow,session,family,client_stack,transport,label," + string.Join(',', features);

    public static string Row(ShapeSample s, string session) =>
        string.Join(',', s.Flow, session, s.Family, s.ClientStack, s.Transport, s.IsMcp ? "mcp" : "not-mcp") + "," +
        string.Join(',', s.Features.Select(f => f.ToString("G6", CultureInfo.InvariantCulture)));

    /// <exception cref="InvalidDataException">A malformed table, or other features than these: the message names the
    /// file, the line and the column.</exception>
    /// <param name="featuresFrom">Where <paramref name="features"/> come from (e.g. a model file), named when the
    /// table's columns differ from them.</param>
    public static List<(ShapeSample Sample, string Session)> Read(string path, IReadOnlyList<string> features,
        string? featuresFrom = null)
    {
        var lines = File.ReadAllLines(path);
        CheckHeader(path, lines.Length == 0 ? "" : lines[0], features, featuresFrom);
        var names = Header(features).Split(',');
        var rows = new List<(ShapeSample, string)>();
        for (var n = 1; n < lines.Length; n++)
        {
            if (lines[n].Length == 0) continue;
            var cells = lines[n].Split(',');
            if (cells.Length != Fixed + features.Count)
                throw new InvalidDataException(
                    $"{path}:{n + 1}: {cells.Length} cells, expected {Fixed + features.Count}");
            var values = new float[features.Count];
            for (var i = 0; i < values.Length; i++)
            {
                if (!float.TryParse(cells[Fixed + i], NumberStyles.Float, CultureInfo.InvariantCulture, out values[i]))
                    throw new InvalidDataException(
                        $"{path}:{n + 1}: column {Fixed + i + 1} ({names[Fixed + i]}): `{cells[Fixed + i]}` is not a number");
            }
            var label = cells[5] switch
            {
                "mcp" => true,
                "not-mcp" => false,
                _ => throw new InvalidDataException(
                    $"{path}:{n + 1}: column 6 (label) must be mcp or not-mcp, not `{cells[5]}`"),
            };
            rows.Add((new ShapeSample(cells[0], cells[2], cells[3], cells[4], label, values), cells[1]));
        }
        return rows;
    }

    /// <summary>The header must be the fixed columns, then exactly these features in this order.</summary>
    private static void CheckHeader(string path, string header, IReadOnlyList<string> features, string? featuresFrom)
    {
        var expected = Header(features);
        if (header == expected) return;
        var want = expected.Split(',');
        var have = header.Length == 0 ? [] : header.Split(',');
        var from = featuresFrom is null ? "" : $" ({featuresFrom})";
        var column = Enumerable.Range(0, Math.Min(want.Length, have.Length)).FirstOrDefault(i => want[i] != have[i], -1);
        var what = column >= 0
            ? $"column {column + 1} is `{have[column]}`, expected `{want[column]}`{from}"
            : have.Length < want.Length
                ? $"{have.Length} columns, expected {want.Length}{from}: `{want[have.Length]}` (column {have.Length + 1}) is missing"
                : $"{have.Length} columns, expected {want.Length}{from}: column {want.Length + 1} `{have[want.Length]}` is extra";
        throw new InvalidDataException($"{path}:1: header: {what}; a table and a model must have the same features");
    }
}
