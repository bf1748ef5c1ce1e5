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
        Assert.That(map["a_b"], Is.EqualTo("a_b"), "the name that is its own identifier keeps it, whatever sorts first");
    }

    [Test]
    public void Map_NamesThatOnlySanitizingMadeEqual_NeitherGetsThePlainIdentifier()
    {
        var map = CodeModeNames.Map(["x-y", "x.y", "x_y_2", "lone-name"]);
        Assert.That(map.ContainsKey("x_y"), Is.False);
        Assert.That(map["x_y_2"], Is.EqualTo("x_y_2"));
        Assert.That(map["lone_name"], Is.EqualTo("lone-name"));
        Assert.That(map.Values, Is.EquivalentTo(new[] { "x-y", "x.y", "x_y_2", "lone-name" }));
    }
}
