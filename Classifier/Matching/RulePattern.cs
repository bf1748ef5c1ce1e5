using System.Text.RegularExpressions;

namespace ShadowMcp.Classifier.Matching;

/// <summary>
/// A rule's <c>|re</c> pattern. Its syntax is checked when the rule loads, by the backtracking engine's parser, which
/// costs next to nothing. The regex that runs is built for the non-backtracking engine (linear time on
/// attacker-controlled text) the first time the pattern is tested: that build costs milliseconds per pattern (tens
/// for a case-insensitive one with counted repeats), which every scan paid at start-up for patterns most traffic
/// never reaches. A pattern that engine cannot run (lookarounds, backreferences) runs backtracking with a timeout.
/// </summary>
internal sealed class RulePattern
{
    private static readonly TimeSpan BacktrackingTimeout = TimeSpan.FromMilliseconds(100);

    private readonly Lazy<Regex> _regex;

    private RulePattern(string pattern, Regex backtracking)
    {
        Pattern = pattern;
        _regex = new Lazy<Regex>(() => Build(pattern, backtracking), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public string Pattern { get; }

    /// <summary>The regex that runs (built on first use).</summary>
    public Regex Regex => _regex.Value;

    /// <summary>Whether the regex that runs has been built.</summary>
    internal bool IsBuilt => _regex.IsValueCreated;

    /// <summary>Whether the pattern runs non-backtracking (builds it).</summary>
    public bool RunsNonBacktracking => (Regex.Options & RegexOptions.NonBacktracking) != 0;

    /// <summary>The pattern, or null with the parser's message when it is not a valid regex.</summary>
    public static RulePattern? TryCreate(string pattern, out string? error)
    {
        error = null;
        try
        {
            return new RulePattern(pattern, new Regex(pattern, RegexOptions.CultureInvariant, BacktrackingTimeout));
        }
        catch (ArgumentException ex)
        {
            error = ex.Message;
            return null;
        }
    }

    /// <summary>False as well when the backtracking engine runs out of time: a hostile value matches nothing.</summary>
    public bool IsMatch(string value)
    {
        try { return Regex.IsMatch(value); }
        catch (RegexMatchTimeoutException) { return false; }
    }

    public override string ToString() => Pattern;

    private static Regex Build(string pattern, Regex backtracking)
    {
        try
        {
            return new Regex(pattern, RegexOptions.NonBacktracking | RegexOptions.CultureInvariant);
        }
        catch (Exception e) when (e is NotSupportedException or ArgumentException)
        {
            return backtracking;
        }
    }
}
