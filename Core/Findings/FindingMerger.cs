namespace ShadowMcp.Core.Findings;

/// <summary>
/// Merges findings for the same endpoint (from several files, or several scans): sets are unioned, flows add up,
/// times widen, evidence with the same rule and detail adds its counts. The verdict is the latest one given,
/// because it reflects the sanctioned list in force at the latest scan.
/// </summary>
public static class FindingMerger
{
    public static Finding Merge(IReadOnlyList<Finding> parts)
    {
        if (parts.Count == 0) throw new ArgumentException("nothing to merge", nameof(parts));
        var last = parts[^1];
        var merged = new Finding
        {
            Endpoint = last.Endpoint,
            Transport = last.Transport,
            Verdict = last.Verdict,
            VerdictReason = last.VerdictReason,
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
        merged.Evidence.AddRange(evidence.Values.OrderByDescending(e => e.Weight).ThenBy(e => e.Rule, StringComparer.Ordinal));
        return merged;
    }
}
