using ShadowMcp.Portal.CodeMode;

namespace ShadowMcp.Portal.Tests.CodeMode;

public sealed class CodeModeNamesTests
{
    [TestCase("github_get-issue", "github_get_issue")]
    [TestCase("fs.read.file", "fs_read_file")]
    [TestCase("3d_render", "t_3d_render")]
    [TestCase("delete", "delete_")]
    [TestCase("constructor", "constructor_")]
    [TestCase("ünï", "_n_")]
    public void Sanitize_ProducesIdentifier(string name, string expected) =>
        Assert.That(CodeModeNames.Sanitize(name), Is.EqualTo(expected));

    [Test]
    public void Map_CollisionAfterSanitizing_GetsSuffix()
    {
        var map = CodeModeNames.Map(["a-b", "a.b", "a_b"]);
        Assert.That(map.Keys, Is.EquivalentTo(new[] { "a_b", "a_b_2", "a_b_3" }));
        Assert.That(map.Values, Is.EquivalentTo(new[] { "a-b", "a.b", "a_b" }));
    }
}
