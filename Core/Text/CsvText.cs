using System.Text;

namespace ShadowMcp.Core.Text;

/// <summary>
/// RFC 4180 fields for CSV a person opens in a spreadsheet: quoted when needed, and a leading = + - @ or control
/// character defused with an apostrophe, because host and server names come from hostile traffic.
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

    public static string Defuse(string? value) =>
        string.IsNullOrEmpty(value) ? "" : value[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + value : value;

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
