using System.Text.Json;
using ShadowMcp.Core;

namespace ShadowMcp.Portal.Audit;

/// <summary>
/// Reads a fallback file for `audit import`, from where an earlier import stopped: the rows in file order, and the
/// lines torn by a killed portal, which are passed over. A torn line is the start of a row cut short with nothing
/// wrong up to there (<see cref="AuditSpillFile.IsCutShort"/>): the file's last line without its end, or a line a
/// later spill ended, whose first row says so with the same length (<see cref="SpilledRow.TornLineBefore"/>), or whose
/// first row is torn itself (that portal was killed too, while writing it). Any other line that is not a row refuses
/// the whole file, naming the line.
/// </summary>
internal static class AuditSpillReader
{
    private const string NotEnded =
        " (it is cut short like a line a killed portal leaves, but the next line is not a later spill's row saying it ended this one)";

    /// <summary>What the file holds after the part imported before.</summary>
    /// <param name="Rows">Its rows, in file order.</param>
    /// <param name="Torn">The torn lines passed over.</param>
    /// <param name="End">Where the bytes read and accounted for end: the file's end, or the start of a torn last line,
    /// which a portal may still be writing (the import's rename then sees the file grow, and the next run reads it again).</param>
    public sealed record Content(List<SpilledRow> Rows, List<AuditTornLine> Torn, long End);

    /// <param name="from">Where the part imported before ends.</param>
    /// <exception cref="AuditImportException">A line that is neither a row nor a torn one (exit code: invalid input).</exception>
    public static Content Read(string path, byte[] bytes, long from)
    {
        var lineNumber = bytes.AsSpan(0, (int)from).Count((byte)'\n') + 1;
        var rows = new List<SpilledRow>();
        var torn = new List<AuditTornLine>();
        var end = (long)bytes.Length;
        // Lines cut short that a newline follows, in a row: torn only if the next line, a later spill's first row, says
        // it ended the last of them; each earlier one was ended by the spill whose first row is the next torn line.
        var ended = new List<(long Line, long Bytes, string Reason)>();
        for (var at = (int)from; at < bytes.Length; lineNumber++)
        {
            var start = at;
            var newline = bytes.AsSpan(at).IndexOf((byte)'\n');
            var raw = newline < 0 ? bytes.AsSpan(at) : bytes.AsSpan(at, newline);
            at = newline < 0 ? bytes.Length : at + newline + 1;
            var line = raw.EndsWith((byte)'\r') ? raw[..^1] : raw;
            if (line.Trim(" \t"u8).IsEmpty)
            {
                if (ended.Count > 0) throw NotARow(path, ended[0].Line, ended[0].Reason, NotEnded);
                continue;
            }
            SpilledRow row;
            try
            {
                row = AuditSpillFile.Parse(line);
            }
            catch (JsonException e)
            {
                if (!AuditSpillFile.IsCutShort(line))
                    throw ended.Count > 0 ? NotARow(path, ended[0].Line, ended[0].Reason, NotEnded) : NotARow(path, lineNumber, Reason(e), "");
                if (newline < 0)
                {
                    // The last line, without its end: a write stopped there (kill -9), or is still going on.
                    torn.AddRange(ended.Select(c => new AuditTornLine(c.Line, c.Bytes, Unterminated: false)));
                    ended.Clear();
                    torn.Add(new AuditTornLine(lineNumber, raw.Length, Unterminated: true));
                    end = start;
                }
                else ended.Add((lineNumber, raw.Length, Reason(e)));
                continue;
            }
            if (ended.Count > 0)
            {
                if (row.TornLineBefore != ended[^1].Bytes) throw NotARow(path, ended[0].Line, ended[0].Reason, NotEnded);
                torn.AddRange(ended.Select(c => new AuditTornLine(c.Line, c.Bytes, Unterminated: false)));
                ended.Clear();
            }
            rows.Add(row);
        }
        if (ended.Count > 0) throw NotARow(path, ended[0].Line, ended[0].Reason, NotEnded);
        return new Content(rows, torn, end);
    }

    private static AuditImportException NotARow(string path, long line, string reason, string why) =>
        new(ExitCode.InvalidInput,
            $"{path}:{line}: not an audit row as the portal writes it: {reason}{why}; nothing was imported and the file is left as it is");

    // The serializer's reason and where in the line, without its own line count (always 0 here) or any of the line's text.
    private static string Reason(JsonException e)
    {
        var message = e.Message.Replace("ShadowMcp.Portal.Audit.", "", StringComparison.Ordinal);
        foreach (var tail in (string[])[" Path: ", " Consider "])
        {
            var cut = message.IndexOf(tail, StringComparison.Ordinal);
            if (cut >= 0) message = message[..cut];
        }
        var at = e.Path is { Length: > 0 } p ? $" (at {p}" + (e.BytePositionInLine is { } b ? $", byte {b + 1})" : ")") : "";
        return message.TrimEnd('.') + at;
    }
}
