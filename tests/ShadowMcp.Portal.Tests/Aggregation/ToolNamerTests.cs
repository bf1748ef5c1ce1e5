using ShadowMcp.Portal.Aggregation;

namespace ShadowMcp.Portal.Tests.Aggregation;

public sealed class ToolNamerTests
{
    [Test]
    public void Assign_ShortNamesArePrefixUnderscoreTool()
    {
        var names = ToolNamer.Assign([("gh", "github", "create_issue"), ("jira", "jira", "search")]);
        Assert.That(names[("github", "create_issue")], Is.EqualTo("gh_create_issue"));
        Assert.That(names[("jira", "search")], Is.EqualTo("jira_search"));
    }

    [Test]
    public void Assign_LongNameIsShortenedTo64WithHashSuffix()
    {
        var tool = new string('t', 80);
        var names = ToolNamer.Assign([("server", "server", tool)]);
        var name = names[("server", tool)];
        Assert.That(name, Has.Length.LessThanOrEqualTo(64));
        Assert.That(name, Does.StartWith("server_ttt"));
        Assert.That(name, Does.Match("_[0-9a-f]{8}$"));
    }

    [Test]
    public void Assign_IsDeterministicAcrossInputOrder()
    {
        var a = ToolNamer.Assign([("s", "s", new string('x', 70)), ("s", "s", new string('x', 71))]);
        var b = ToolNamer.Assign([("s", "s", new string('x', 71)), ("s", "s", new string('x', 70))]);
        Assert.That(a, Is.EquivalentTo(b));
    }

    [Test]
    public void Assign_CollidingPlainNamesGetDistinctSuffixes()
    {
        // "a_b" + "c" and "a" + "b_c" would both be "a_b_c".
        var names = ToolNamer.Assign([("a_b", "a_b", "c"), ("a", "a", "b_c"), ("z", "z", "ok")]);
        Assert.That(names[("a_b", "c")], Is.Not.EqualTo(names[("a", "b_c")]));
        Assert.That(names[("a_b", "c")], Does.StartWith("a_b_c_"));
        Assert.That(names[("z", "ok")], Is.EqualTo("z_ok"));
    }

    [Test]
    public void Assign_LongNamesSharingA64CharPrefixStayUnique()
    {
        var prefix = new string('p', 70);
        var tools = Enumerable.Range(0, 200).Select(i => ("srv", "srv", prefix + i)).ToList();
        var names = ToolNamer.Assign(tools);
        Assert.That(names.Values.Distinct().Count(), Is.EqualTo(200));
        Assert.That(names.Values, Has.All.Length.LessThanOrEqualTo(64));
    }

    [Test]
    public void Assign_InvalidCharactersAreReplaced()
    {
        var names = ToolNamer.Assign([("srv", "srv", "get weather/now")]);
        Assert.That(names[("srv", "get weather/now")], Is.EqualTo("srv_get_weather_now"));
    }

    [Test]
    public void Assign_EmptyPrefix_KeepsToolNameButStillAvoidsClashes()
    {
        var names = ToolNamer.Assign([("", "solo", "search"), ("", "solo", "fetch"), ("x", "x", "fetch")]);
        Assert.That(names[("solo", "search")], Is.EqualTo("search"));
        Assert.That(names[("solo", "fetch")], Is.EqualTo("fetch"));
        Assert.That(names[("x", "fetch")], Is.EqualTo("x_fetch"));
        var clash = ToolNamer.Assign([("", "solo", "x_fetch"), ("x", "x", "fetch")]);
        Assert.That(clash[("solo", "x_fetch")], Is.Not.EqualTo(clash[("x", "fetch")]));
    }
}
