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

    /// <exception cref="InvalidDataException">A malformed table, or other features than these.</exception>
    public static List<(ShapeSample Sample, string Session)> Read(string path, IReadOnlyList<string> features)
    {
        var lines = File.ReadAllLines(path);
        if (lines.Length == 0 || lines[0] != Header(features))
            throw new InvalidDataException($"{path}: header is not `{Header(features)}`; regenerate the feature table");
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
                    throw new InvalidDataException($"{path}:{n + 1}: `{cells[Fixed + i]}` is not a number");
            }
            var label = cells[5] switch
            {
                "mcp" => true,
                "not-mcp" => false,
                _ => throw new InvalidDataException($"{path}:{n + 1}: label must be mcp or not-mcp, not `{cells[5]}`"),
            };
            rows.Add((new ShapeSample(cells[0], cells[2], cells[3], cells[4], label, values), cells[1]));
        }
        return rows;
    }
}
