using ShadowMcp.Classifier.Rules;

namespace ShadowMcp.Classifier.Aggregation;

/// <summary>One rule's hits on one endpoint: how many, when, and the first hit's detail and example.</summary>
internal sealed class RuleTally(Rule rule, string detail, string example, DateTime time)
{
    public Rule Rule { get; } = rule;
    public string Detail { get; } = detail;
    public string Example { get; } = example;
    public int Count { get; set; } = 1;
    public DateTime FirstSeen { get; set; } = time;
    public DateTime LastSeen { get; set; } = time;

    public void Add(DateTime time)
    {
        Count++;
        if (time < FirstSeen) FirstSeen = time;
        if (time > LastSeen) LastSeen = time;
    }

    public void Merge(RuleTally other)
    {
        Count += other.Count;
        if (other.FirstSeen < FirstSeen) FirstSeen = other.FirstSeen;
        if (other.LastSeen > LastSeen) LastSeen = other.LastSeen;
    }
}
