using ShadowMcp.Reports.Model;

namespace ShadowMcp.Reports.Dns;

/// <summary>Names found per address (only those with a PTR answer) and a sentence for the report.</summary>
public sealed record ReverseDnsResult(IReadOnlyDictionary<string, string> Names, SectionStatus Status)
{
    public string? NameOf(string address) => Names.GetValueOrDefault(address);
}
