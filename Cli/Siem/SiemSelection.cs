using ShadowMcp.Core.Findings;

namespace ShadowMcp.Cli.Siem;

/// <summary>Which records an export sends: the streams, and for findings an optional verdict.</summary>
internal sealed record SiemSelection(IReadOnlySet<SiemStream> Streams, Verdict? Verdict)
{
    public static readonly IReadOnlySet<SiemStream> AllStreams = new HashSet<SiemStream> { SiemStream.Audit, SiemStream.Actions, SiemStream.Findings };

    /// <summary>Parses `findings,actions,audit` (or `all`); null when a name is unknown.</summary>
    public static IReadOnlySet<SiemStream>? ParseStreams(string text)
    {
        var set = new HashSet<SiemStream>();
        foreach (var name in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            switch (name.ToLowerInvariant())
            {
                case "all": set.UnionWith(AllStreams); break;
                case "findings": set.Add(SiemStream.Findings); break;
                case "actions": set.Add(SiemStream.Actions); break;
                case "audit": set.Add(SiemStream.Audit); break;
                default: return null;
            }
        }
        return set.Count == 0 ? null : set;
    }
}
