namespace ShadowMcp.Core.Findings;

/// <summary>
/// Merges findings for the same endpoint (from several files, or several scans): sets are unioned, flows add up,
/// times widen, evidence with the same rule and detail adds its counts. The verdict is the latest one given,
/// because it reflects the sanctioned list in force at the latest scan, with one exception: a sanctioned verdict
/// speaks only for the names its parts list. A part that is not sanctioned and names a server they do not (another
/// server behind the same address, port and path: a shared front end, seen by another sensor or in another file)
/// gives the verdict, and the sanctioned names move to the address's names so the Enforcer never blocks them; unless
/// that part lists a sanctioned part's name too, as one judged before the name was sanctioned does.
/// </summary>
public static class FindingMerger
{
    /// <summary>
    /// Parts of one classification (one scan run) put weakest first, so that <see cref="Merge"/>'s "latest" is the
    /// part with the strongest evidence and the result does not depend on the order the files were given:
    /// confidence, evidence weight, flows and last activity decide, then a stable text key.
    /// </summary>
    public static IReadOnlyList<Finding> StrongestLast(IEnumerable<Finding> parts) =>
    [
        .. parts.OrderBy(p => p.Confidence).ThenBy(p => p.Evidence.Sum(e => e.Weight)).ThenBy(p => p.Flows)
            .ThenBy(p => p.LastSeen).ThenBy(p => p.FirstSeen).ThenBy(p => p.Transport, StringComparer.Ordinal)
            .ThenBy(p => p.VerdictReason, StringComparer.Ordinal).ThenBy(p => p.Verdict)
            .ThenBy(p => p.Server?.Name, StringComparer.Ordinal).ThenBy(p => p.Server?.Version, StringComparer.Ordinal),
    ];

    /// <summary>
    /// The part whose verdict the merge takes: the last, unless it is sanctioned and a later-ordered part that is not
    /// names a server no sanctioned part names (the last such part); with the names the sanctioned parts list.
    /// </summary>
    private static (Finding Judged, SortedSet<string> SanctionedNames) VerdictPart(IReadOnlyList<Finding> parts)
    {
        var last = parts[^1];
        var names = new SortedSet<string>(StringComparer.Ordinal);
        if (last.Verdict != Verdict.Sanctioned) return (last, names);
        foreach (var p in parts)
            if (p.Verdict == Verdict.Sanctioned) names.UnionWith(p.Hosts);
        // Sanctioned without a name (an entry that gives the address): the operator vouched for everything there.
        if (names.Count == 0) return (last, names);
        for (var i = parts.Count - 1; i >= 0; i--)
            if (parts[i].Verdict != Verdict.Sanctioned && !JudgedUnderAnotherList(parts[i], names) && Foreign(parts[i], names).Any())
                return (parts[i], names);
        return (last, names);
    }

    // A part that is not sanctioned yet lists a name the sanctioned parts list saw that server under that name and was
    // judged before the name was sanctioned (an older list or sensor): the Classifier never leaves a sanctioned name
    // among the names of a finding it does not sanction (claimed, or at a shared front end, it moves the name out). Its
    // other names (an alias, another site DNS tied to the address) are the same server's as far as it knew, not another.
    private static bool JudgedUnderAnotherList(Finding part, SortedSet<string> sanctionedNames) =>
        part.Hosts.Any(sanctionedNames.Contains);

    private static IEnumerable<string> Foreign(Finding part, SortedSet<string> sanctionedNames) =>
        part.Hosts.Where(h => !sanctionedNames.Contains(h));

    public static Finding Merge(IReadOnlyList<Finding> parts)
    {
        if (parts.Count == 0) throw new ArgumentException("nothing to merge", nameof(parts));
        var last = parts[^1];
        var (judged, sanctionedNames) = VerdictPart(parts);
        var merged = new Finding
        {
            Endpoint = judged == last ? last.Endpoint : last.Endpoint with { Host = judged.Endpoint.Host },
            Transport = last.Transport,
            Verdict = judged.Verdict,
            VerdictReason = judged == last ? last.VerdictReason
                : $"sanctioned as {string.Join(", ", sanctionedNames.Select(n => $"'{n}'"))} where other files or sensors saw only "
                  + $"that, but {string.Join(", ", Foreign(judged, sanctionedNames).Select(n => $"'{n}'"))} on the same address, port and "
                  + $"path is another server behind a shared front end: {judged.VerdictReason}",
            Server = parts.LastOrDefault(p => p.Server is not null)?.Server,
            FirstSeen = parts.Min(p => p.FirstSeen),
            LastSeen = parts.Max(p => p.LastSeen),
            Confidence = parts.Max(p => p.Confidence),
            Flows = parts.Sum(p => p.Flows),
        };
        var evidence = new Dictionary<(string, string), Evidence>();
        foreach (var p in parts)
        {
            merged.Hosts.UnionWith(p.Hosts);
            merged.AddressNames.UnionWith(p.AddressNames);
            merged.ClaimedNames.UnionWith(p.ClaimedNames);
            merged.ProtocolVersions.UnionWith(p.ProtocolVersions);
            merged.Clients.UnionWith(p.Clients);
            merged.ClientApps.UnionWith(p.ClientApps);
            merged.Tools.UnionWith(p.Tools);
            foreach (var e in p.Evidence)
            {
                if (evidence.TryGetValue((e.Rule, e.Detail), out var have))
                {
                    have.Count += e.Count;
                    if (e.FirstSeen < have.FirstSeen) have.FirstSeen = e.FirstSeen;
                    if (e.LastSeen > have.LastSeen) have.LastSeen = e.LastSeen;
                }
                else
                {
                    evidence[(e.Rule, e.Detail)] = new Evidence
                    {
                        Rule = e.Rule, Title = e.Title, Level = e.Level, Detail = e.Detail, Weight = e.Weight,
                        Count = e.Count, FirstSeen = e.FirstSeen, LastSeen = e.LastSeen, Example = e.Example,
                    };
                }
            }
        }
        // A name some file saw a flow use is evidence; it is no longer "only resolved there".
        merged.AddressNames.ExceptWith(merged.Hosts);
        if (judged != last)
        {
            // The address does serve the sanctioned names, but this finding is about another server there.
            merged.Hosts.ExceptWith(sanctionedNames);
            merged.AddressNames.UnionWith(sanctionedNames);
        }
        merged.Evidence.AddRange(evidence.Values.OrderByDescending(e => e.Weight).ThenBy(e => e.Rule, StringComparer.Ordinal));
        return merged;
    }
}
