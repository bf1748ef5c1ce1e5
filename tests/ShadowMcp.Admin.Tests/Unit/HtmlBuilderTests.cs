using ShadowMcp.Admin.Html;

namespace ShadowMcp.Admin.Tests.Unit;

internal sealed class HtmlBuilderTests
{
    [Test]
    public void Add_EncodesEveryHoleButKeepsLiteralsAndRaw()
    {
        const string hostile = "<script>alert('x')</script>\"&";
        var h = new HtmlBuilder();
        h.Add($"<td title=\"{hostile}\">{hostile}{new HtmlRaw("<br>")}{42}</td>");
        Assert.That(h.ToString(), Is.EqualTo(
            "<td title=\"&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;&quot;&amp;\">&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;&quot;&amp;<br>42</td>"));
    }

    [Test]
    public void Add_NullHoleWritesNothing()
    {
        string? missing = null;
        Assert.That(new HtmlBuilder().Add($"<b>{missing}</b>").ToString(), Is.EqualTo("<b></b>"));
    }
}
