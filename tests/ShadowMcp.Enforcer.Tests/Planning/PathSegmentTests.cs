using ShadowMcp.Enforcer.Planning;

namespace ShadowMcp.Enforcer.Tests.Planning;

/// <summary>The safety check compares paths by whole segments, as the Squid rules match them.</summary>
public sealed class PathSegmentTests
{
    [TestCase("/mcp", "/mcp", true)]
    [TestCase("/mcp", "/mcp/messages", true)]
    [TestCase("/mcp/", "/mcp?session=1", true)]
    [TestCase("/", "/anything", true)]
    [TestCase("/mcp", "/mcpdocs", false)]
    [TestCase("/mcp", "/mcp-admin/x", false)]
    [TestCase("/api/mcp", "/api", true)]
    [TestCase("/api/mcp", "/api/mcpx", false)]
    public void PathsOverlap_ByWholeSegments(string a, string b, bool overlap)
    {
        Assert.That(SafetyCheck.PathsOverlap(a, b), Is.EqualTo(overlap));
        Assert.That(SafetyCheck.PathsOverlap(b, a), Is.EqualTo(overlap), "symmetric");
    }
}
