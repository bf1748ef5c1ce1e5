using ShadowMcp.Classifier.Rules;
using ShadowMcp.Core.Findings;

namespace ShadowMcp.Classifier.Aggregation;

/// <summary>
/// Decides a finding's verdict from the strengths of the distinct rules that fired on it (see
/// Classifier/README.md): sanctioned when an approved endpoint matches; shadow on one decisive rule, two
/// strong rules, or one strong rule corroborated by any other rule; suspected otherwise. A name matches a
/// name-only sanctioned entry only when vouched for the server's address (a DNS answer seen tied it there): a Host
/// header or SNI is the client's choice, and a shadow server's clients can send the sanctioned name. An endpoint
/// that claims a sanctioned name without that is judged by what DNS said about the name: answers that put it at other
/// addresses make the claim false, and the evidence decides; no answer for it at all leaves a spoof and a sanctioned
/// server whose lookup was not captured (cached, DNS over HTTPS, another file) looking the same, so the finding is held
/// at suspected: seen and named for the analyst, not blocked as shadow on the sanctioned path.
/// </summary>
internal static class VerdictPolicy
{
    /// <param name="endpoint">The finding's endpoint; for an address endpoint its Host is one of its flows' names and is not matched itself.</param>
    /// <param name="hosts">Every name the endpoint's flows used (Host headers, SNI, DNS answers tied to the flows).</param>
    /// <param name="vouched">Those of <paramref name="hosts"/> a DNS answer tied to the endpoint's address (all of them for a host endpoint, whose finding is the name itself).</param>
    /// <param name="resolved">Whether a DNS answer seen resolved the name to any address (null: none was seen).</param>
    /// <param name="foreign">
    /// Names the endpoint's flows themselves carried (Host headers, SNI) that no sanctioned entry gives and no DNS
    /// answer chained to a sanctioned name. An entry that matches by name does not sanction an endpoint that has any:
    /// a front end shared by many names (a CDN, a gateway) puts other servers on the same address, port and path, and
    /// their traffic would hide in the sanctioned finding.
    /// </param>
    /// <param name="claimed">
    /// The names the flows used that a sanctioned entry names but that may not stand as the finding's names (the
    /// Enforcer blocks those): claimed without a DNS answer, or vouched at a shared front end (see <paramref name="shared"/>).
    /// </param>
    /// <param name="shared">Whether <paramref name="claimed"/> are vouched sanctioned names of a shared front end: the address does serve them.</param>
    public static (Verdict Verdict, string Reason) Decide(
        IReadOnlyCollection<RuleTally> tallies, Endpoint endpoint, IReadOnlyCollection<string> hosts, IReadOnlyCollection<string> vouched,
        IReadOnlyList<SanctionedEndpoint> sanctioned, Func<string, bool>? resolved, IReadOnlyCollection<string> foreign,
        out IReadOnlyList<string> claimed, out bool shared)
    {
        claimed = [];
        shared = false;
        var place = endpoint.Address is null ? endpoint : endpoint with { Host = null };
        SanctionedEndpoint? sharedWith = null;
        foreach (var entry in sanctioned)
        {
            var names = entry.VouchesForAddress ? hosts : vouched;
            if (!entry.Matches(place, names)) continue;
            if (entry.Host is null || foreign.Count == 0 || endpoint.Address is null)
                return (Verdict.Sanctioned, $"matches sanctioned endpoint '{entry.Reason}'");
            sharedWith ??= entry;
        }

        var (verdict, reason) = FromEvidence(tallies);
        if (endpoint.Address is null) return (verdict, reason);
        if (sharedWith is not null)
        {
            var here = hosts.Where(h => sanctioned.Any(e => e.Host is not null && e.MatchesName(h))).Order(StringComparer.Ordinal).ToList();
            claimed = here;
            shared = true;
            return (verdict, $"its flows used the sanctioned name {string.Join(", ", here.Select(n => $"'{n}'"))} ('{sharedWith.Reason}') "
                + $"and also {string.Join(", ", foreign.Order(StringComparer.Ordinal).Select(n => $"'{n}'"))}, which no sanctioned entry gives: "
                + $"{endpoint.Address} is a front end shared by both, so not sanctioned, and the evidence of all its flows decides "
                + $"(the sanctioned name is kept among the address's names, not as this finding's); {reason}");
        }
        var claims = Claims(hosts, vouched, sanctioned);
        if (claims.Count == 0) return (verdict, reason);
        claimed = [.. claims.Select(c => c.Name)];
        var what = string.Join(", ", claims.Select(c => $"'{c.Name}' ('{c.Entry.Reason}')"));
        var claim = $"claims the sanctioned name {what} in its Host header or SNI, but no DNS answer seen tied it to {endpoint.Address}, "
            + "so the name is not trusted (if that address serves it, give the address in the sanctioned entry)";
        if (resolved is not null && claims.Any(c => resolved(c.Name)))
            return (verdict, $"{claim}; DNS answers seen put it at other addresses; {reason}");
        return verdict == Verdict.Shadow
            ? (Verdict.Suspected, $"{claim}; no DNS answer for it was seen, so this may be the sanctioned server seen without "
                + $"its lookup: held at suspected, its own evidence says shadow: {reason}")
            : (verdict, $"{claim}; {reason}");
    }

    // Names the flows used, unvouched, that a name-only entry names. Its port or path need not match: listed as the
    // finding's names they would still be blocked by name, which the Enforcer refuses for a sanctioned name.
    private static List<(string Name, SanctionedEndpoint Entry)> Claims(
        IReadOnlyCollection<string> hosts, IReadOnlyCollection<string> vouched, IReadOnlyList<SanctionedEndpoint> sanctioned)
    {
        var claims = new List<(string, SanctionedEndpoint)>();
        foreach (var name in hosts.Order(StringComparer.Ordinal))
        {
            if (vouched.Contains(name)) continue;
            foreach (var entry in sanctioned)
            {
                if (entry.VouchesForAddress || !entry.MatchesName(name)) continue;
                claims.Add((name, entry));
                break;
            }
        }
        return claims;
    }

    private static (Verdict Verdict, string Reason) FromEvidence(IReadOnlyCollection<RuleTally> tallies)
    {
        var decisive = Ids(tallies, EvidenceStrength.Decisive);
        if (decisive.Count > 0)
            return (Verdict.Shadow, $"unmistakable MCP evidence: {string.Join(", ", decisive)}");

        var strong = Ids(tallies, EvidenceStrength.Strong);
        var others = tallies.Where(t => t.Rule.Evidence.Strength is EvidenceStrength.Weak or EvidenceStrength.Context)
            .Select(t => t.Rule.Id).Order(StringComparer.Ordinal).ToList();
        if (strong.Count >= 2)
            return (Verdict.Shadow, $"MCP protocol evidence from {string.Join(", ", strong)}");
        if (strong.Count == 1 && others.Count > 0)
            return (Verdict.Shadow, $"MCP protocol evidence ({strong[0]}) corroborated by {string.Join(", ", others)}");
        if (strong.Count == 1)
            return (Verdict.Suspected, $"a single uncorroborated protocol signal: {strong[0]}");
        return (Verdict.Suspected, $"weak evidence only: {string.Join(", ", others)}");
    }

    /// <summary>1 - prod(1 - weight) over distinct rules: independent signals add up but never reach 1.</summary>
    public static double Confidence(IEnumerable<RuleTally> tallies)
    {
        var miss = 1.0;
        foreach (var tally in tallies) miss *= 1 - Math.Clamp(tally.Rule.Evidence.Weight, 0, 1);
        return Math.Round(1 - miss, 3);
    }

    private static List<string> Ids(IEnumerable<RuleTally> tallies, EvidenceStrength strength) =>
        tallies.Where(t => t.Rule.Evidence.Strength == strength).Select(t => t.Rule.Id).Order(StringComparer.Ordinal).ToList();
}
