using System.Data.Common;
using System.Globalization;
using System.Text;

namespace ShadowMcp.Reports.Building;

/// <summary>
/// Flows per finding in consecutive UTC intervals, from one pass over finding_activity (SQLite or PostgreSQL). Every window
/// the report asks about (the period, the 8 weeks before it, the trend weeks) starts and ends on a bound, so each
/// window is a run of whole intervals.
/// </summary>
internal sealed class ActivityWindows
{
    private readonly DateTime[] _bounds;
    private readonly Dictionary<long, long[]> _flows = [];
    private readonly Dictionary<long, bool[]> _active = [];

    private ActivityWindows(DateTime[] bounds) => _bounds = bounds;

    /// <summary>
    /// Reads the intervals between <paramref name="bounds"/> in up to <paramref name="parts"/> runs of intervals at
    /// once, each on its own connection from <paramref name="connect"/> (opened by it, disposed here): the pass over a
    /// few weeks of hourly rows is the report's longest step, and the runs are independent.
    /// </summary>
    public static async Task<ActivityWindows> LoadAsync(Func<DbConnection> connect, IEnumerable<DateTime> bounds, int parts, CancellationToken cancellationToken)
    {
        var b = bounds.Distinct().Order().ToArray();
        var windows = new ActivityWindows(b);
        var intervals = b.Length - 1;
        if (intervals < 1) return windows;
        parts = Math.Clamp(parts, 1, intervals);
        var runs = Enumerable.Range(0, parts)
            .Select(i => (First: i * intervals / parts, Last: (i + 1) * intervals / parts))
            .Select(run => Task.Run(() =>
            {
                using var connection = connect();
                var part = new ActivityWindows(b);
                part.Read(connection, run.First, run.Last, cancellationToken);
                return part;
            }, cancellationToken))
            .ToArray();
        foreach (var part in await Task.WhenAll(runs).ConfigureAwait(false)) windows.Add(part);
        return windows;
    }

    /// <summary>Adds the rows of intervals [<paramref name="first"/>, <paramref name="last"/>).</summary>
    private void Read(DbConnection connection, int first, int last, CancellationToken cancellationToken)
    {
        var b = _bounds;
        using var cmd = connection.CreateCommand();
        // Quoted names and @-parameters: the one spelling both SQLite and PostgreSQL read (PostgreSQL folds unquoted
        // names to lower case, and Npgsql does not know $name parameters).
        // The interval of a row is a binary search over the bounds (nested CASE), a few comparisons per row instead of
        // one per bound. PostgreSQL sums per finding and interval itself (a hash aggregate, and fewer rows to send);
        // SQLite would sort every row of the window in a temporary B-tree for that GROUP BY, which costs more than
        // reading the rows in the covering index's order and adding them up here.
        var postgres = connection is Npgsql.NpgsqlConnection;
        var sql = new StringBuilder("SELECT \"FindingId\", ");
        AppendInterval(sql, first, last);
        sql.Append(postgres ? " AS bucket, SUM(\"Flows\")" : ", \"Flows\"");
        sql.Append(CultureInfo.InvariantCulture, $" FROM finding_activity WHERE \"Hour\" >= @b{first} AND \"Hour\" < @b{last}");
        if (postgres) sql.Append(" GROUP BY \"FindingId\", bucket");
        cmd.CommandText = sql.ToString();
        for (var i = first; i <= last; i++)
        {
            var p = cmd.CreateParameter();
            p.ParameterName = $"@b{i}";
            // SQLite: the text form EF Core uses for DateTime columns, so the comparison is the stored text order.
            // PostgreSQL: a UTC timestamp for the timestamptz column.
            p.Value = postgres
                ? DateTime.SpecifyKind(b[i], DateTimeKind.Utc)
                : b[i].ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
            cmd.Parameters.Add(p);
        }
        using var registration = cancellationToken.Register(cmd.Cancel);
        using var reader = cmd.ExecuteReader();
        long lastId = long.MinValue;
        long[]? flows = null;
        bool[]? active = null;
        while (reader.Read())
        {
            var id = reader.GetInt64(0);
            var bucket = reader.GetInt32(1);
            if (id != lastId)
            {
                (flows, active) = Of(id);
                lastId = id;
            }
            flows![bucket] += reader.IsDBNull(2) ? 0 : reader.GetInt64(2);
            active![bucket] = true;
        }
        cancellationToken.ThrowIfCancellationRequested();
    }

    private (long[] Flows, bool[] Active) Of(long id)
    {
        if (_flows.TryGetValue(id, out var flows)) return (flows, _active[id]);
        flows = new long[_bounds.Length - 1];
        var active = new bool[_bounds.Length - 1];
        _flows[id] = flows;
        _active[id] = active;
        return (flows, active);
    }

    /// <summary>Takes in another part's intervals (each part reads its own, so adding never counts a row twice).</summary>
    private void Add(ActivityWindows part)
    {
        foreach (var (id, partFlows) in part._flows)
        {
            var (flows, active) = Of(id);
            var partActive = part._active[id];
            for (var i = 0; i < flows.Length; i++)
            {
                flows[i] += partFlows[i];
                active[i] |= partActive[i];
            }
        }
    }

    /// <summary>Appends an expression giving the interval index in [<paramref name="first"/>, <paramref name="last"/>) of a row's hour.</summary>
    private static void AppendInterval(StringBuilder sql, int first, int last)
    {
        if (last - first == 1)
        {
            sql.Append(first.ToString(CultureInfo.InvariantCulture));
            return;
        }
        var middle = (first + last) / 2;
        sql.Append(CultureInfo.InvariantCulture, $"CASE WHEN \"Hour\" < @b{middle} THEN ");
        AppendInterval(sql, first, middle);
        sql.Append(" ELSE ");
        AppendInterval(sql, middle, last);
        sql.Append(" END");
    }

    public bool Active(long id, DateTime fromUtc, DateTime toUtc)
    {
        if (!_active.TryGetValue(id, out var active)) return false;
        var (first, last) = Range(fromUtc, toUtc);
        for (var i = first; i < last; i++) if (active[i]) return true;
        return false;
    }

    public long Flows(long id, DateTime fromUtc, DateTime toUtc)
    {
        if (!_flows.TryGetValue(id, out var flows)) return 0;
        var (first, last) = Range(fromUtc, toUtc);
        long sum = 0;
        for (var i = first; i < last; i++) sum += flows[i];
        return sum;
    }

    private (int First, int Last) Range(DateTime fromUtc, DateTime toUtc)
    {
        var first = Array.IndexOf(_bounds, fromUtc);
        var last = Array.IndexOf(_bounds, toUtc);
        if (first < 0 || last < 0) throw new InvalidOperationException("window bounds were not loaded");
        return (first, last);
    }
}
