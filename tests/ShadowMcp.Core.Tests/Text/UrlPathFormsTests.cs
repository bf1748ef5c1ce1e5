using ShadowMcp.Core.Findings;
using ShadowMcp.Core.Text;

namespace ShadowMcp.Core.Tests.Text;

/// <summary>
/// A sanctioned path prefix must cover only what the server behind it routes there. A shadow MCP server on the same
/// address (a reverse proxy with several backends) is reached by paths a server normalises out of the prefix; before,
/// any path that began with the prefix's characters was sanctioned, so its findings were silenced.
/// </summary>
public sealed class UrlPathFormsTests
{
    private static readonly SanctionedEndpoint Upstream = new(null, "10.20.0.11", 8443, "/mcp", "portal upstream");

    [TestCase("/mcp")]
    [TestCase("/mcp/")]
    [TestCase("/mcp/github")]
    [TestCase("/mcp/github/")]
    [TestCase("/mcp/a%20b")]
    [TestCase("/mcp/b%C3%BCcher")]
    [TestCase("/mcp/v1;jsessionid=1")]
    [TestCase("/mcp/..x/.y")]
    public void Matches_PlainPathsUnderThePrefix_AreSanctioned(string path)
    {
        Assert.That(Upstream.Matches("10.20.0.11", 8443, path, []), Is.True);
        Assert.That(new SanctionedEndpoint(null, "10.20.0.11", 8443, "/mcp/", "x").Matches("10.20.0.11", 8443, path, []), Is.True);
    }

    [TestCase("/mcp-shadow")]
    [TestCase("/mcpx")]
    [TestCase("/mcp/../shadow")]
    [TestCase("/mcp/..")]
    [TestCase("/mcp/./../shadow")]
    [TestCase("/mcp/%2e%2e/shadow")]
    [TestCase("/mcp/%2E./shadow")]
    [TestCase("/mcp/.%2e/shadow")]
    [TestCase("/mcp%2f..%2fshadow")]
    [TestCase("/mcp%2F..%2Fshadow")]
    [TestCase("/mcp/..;/shadow")]
    [TestCase("/mcp/..;x=1/shadow")]
    [TestCase("/mcp\\..\\shadow")]
    [TestCase("/mcp/%5c..%5cshadow")]
    [TestCase("/mcp/%252e%252e/shadow")]
    [TestCase("/mcp/%c0%ae%c0%ae/shadow")]
    [TestCase("/mcp/%u002e%u002e/shadow")]
    [TestCase("/mcp//shadow")]
    [TestCase("/mcp/;/shadow")]
    [TestCase("/mcp/%00/x")]
    [TestCase("/mcp/\t/x")]
    [TestCase("/mcp/%")]
    [TestCase("/mcp/%4")]
    public void Matches_PathsAServerRoutesElsewhereOrReadsAnotherWay_AreNotSanctioned(string path) =>
        Assert.That(Upstream.Matches("10.20.0.11", 8443, path, []), Is.False);

    [TestCase("/", "/anything", ExpectedResult = true)]
    [TestCase("", "/anything", ExpectedResult = true)]
    [TestCase("/", "/a/../b", ExpectedResult = false)]
    [TestCase("/api/v1", "/api/v1/tools", ExpectedResult = true)]
    [TestCase("/api/v1", "/api/v10", ExpectedResult = false)]
    [TestCase("/api/v1", "/api", ExpectedResult = false)]
    [TestCase("/mcp", "mcp", ExpectedResult = false)]
    public bool IsUnder_WholeSegmentsOfPlainPaths(string prefix, string path) => UrlPathForms.IsUnder(path, prefix);

    [TestCase("/mcp", ExpectedResult = true)]
    [TestCase("/", ExpectedResult = true)]
    [TestCase("mcp", ExpectedResult = false)]
    [TestCase("", ExpectedResult = false)]
    [TestCase("/a/./b", ExpectedResult = false)]
    [TestCase("/a/.", ExpectedResult = false)]
    public bool IsPlain_NeedsALeadingSlashAndNoDotSegments(string path) => UrlPathForms.IsPlain(path);
}
