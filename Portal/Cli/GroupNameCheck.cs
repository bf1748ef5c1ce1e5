namespace ShadowMcp.Portal.Cli;

/// <summary>
/// `token create` only issues tokens for groups the config defines. Names match exactly (policy matches them
/// case-sensitively, so "Dev" would grant nothing); a near miss is named in the error to fix the typo.
/// </summary>
internal static class GroupNameCheck
{
    /// <returns>null when the group exists; otherwise the message for the operator.</returns>
    public static string? Problem(string group, IReadOnlyCollection<string> defined)
    {
        if (defined.Contains(group, StringComparer.Ordinal)) return null;
        var close = defined
            .Select(d => (Name: d, Distance: string.Equals(d, group, StringComparison.OrdinalIgnoreCase) ? 0 : Distance(d, group)))
            .Where(d => d.Distance <= Math.Max(1, group.Length / 4))
            .OrderBy(d => d.Distance).ThenBy(d => d.Name, StringComparer.Ordinal)
            .Select(d => d.Name).FirstOrDefault();
        var known = defined.Count == 0
            ? "the config defines no groups"
            : "groups: " + string.Join(", ", defined.Order(StringComparer.Ordinal));
        return close is null
            ? $"unknown group '{group}' ({known})"
            : $"unknown group '{group}'; did you mean '{close}'? (group names are case-sensitive)";
    }

    private static int Distance(string a, string b)
    {
        var row = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var diagonal = row[0];
            row[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var above = row[j];
                var substitution = char.ToLowerInvariant(a[i - 1]) == char.ToLowerInvariant(b[j - 1]) ? 0 : 1;
                row[j] = Math.Min(Math.Min(row[j] + 1, row[j - 1] + 1), diagonal + substitution);
                diagonal = above;
            }
        }
        return row[b.Length];
    }
}
