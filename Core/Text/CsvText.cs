using System.Text;

namespace ShadowMcp.Core.Text;

/// <summary>
/// RFC 4180 fields for CSV a person opens in a spreadsheet: quoted when needed, and a formula start (= + - @, tab or
/// CR) defused with an apostrophe, because host and server names come from hostile traffic. Not only at the start of
/// the value: where the list separator is ";" (much of Europe) a spreadsheet splits "x;=HYPERLINK(…)" into a new cell
/// at the semicolon, quotes or not (a quote mid-cell is a plain character there), and a line break inside a value
/// starts a new row. So a formula start after ; , tab, CR or LF gets its apostrophe too.
/// </summary>
public static class CsvText
{
    public static void AppendField(StringBuilder sb, string value)
    {
        if (value.AsSpan().IndexOfAny(",\"\r\n") < 0)
        {
            sb.Append(value);
            return;
        }
        sb.Append('"').Append(value.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
    }

    public static string Defuse(string? value)
    {
        if (string.IsNullOrEmpty(value)) return "";
        StringBuilder? sb = null;
        for (var i = 0; i < value.Length; i++)
        {
            if (FormulaStart(value[i]) && (i == 0 || CellBreak(value[i - 1])))
                (sb ??= new StringBuilder(value.Length + 4).Append(value, 0, i)).Append('\'');
            sb?.Append(value[i]);
        }
        return sb?.ToString() ?? value;
    }

    private static bool FormulaStart(char c) => c is '=' or '+' or '-' or '@' or '\t' or '\r';

    private static bool CellBreak(char c) => c is ';' or ',' or '\t' or '\r' or '\n';

    /// <summary>One CSV line of already defused values, ended with CRLF.</summary>
    public static void AppendRow(StringBuilder sb, IReadOnlyList<string> fields)
    {
        for (var i = 0; i < fields.Count; i++)
        {
            if (i > 0) sb.Append(',');
            AppendField(sb, fields[i]);
        }
        sb.Append("\r\n");
    }
}
