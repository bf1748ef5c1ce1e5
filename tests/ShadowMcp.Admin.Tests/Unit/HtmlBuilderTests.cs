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

    [Test]
    public void Add_InvisibleAndBidiCharactersShowAsEscapes()
    {
        // "evil" + RLO + "moc.buhtig" reads as "evilgithub.com"; the encoder's numeric reference would still be honoured.
        var h = new HtmlBuilder().Add($"<td>{"evil\u202Emoc.buhtig\u200B\U000E0041\u0007"}</td>");
        Assert.That(h.ToString(), Is.EqualTo("<td>evil\\u202Emoc.buhtig\\u200B\\U000E0041\\u0007</td>"));
    }

    [Test]
    public void Add_KeepsLineBreaksTabsAndOrdinaryUnicode()
    {
        var h = new HtmlBuilder().Add($"<pre>{"a\tb\r\nc é 中 👍"}</pre>");
        Assert.That(h.ToString(), Is.EqualTo("<pre>a&#x9;b&#xD;&#xA;c &#xE9; &#x4E2D; &#x1F44D;</pre>"));
    }
}
