using ShadowMcp.Core.Text;

namespace ShadowMcp.Core.Tests.Text;

/// <summary>Wire text in a document: bidi, invisible and control characters as escapes, layout white space kept.</summary>
public sealed class DisplayTextTests
{
    [TestCase("evil\u202Emoc.buhtig", "evil\\u202Emoc.buhtig")]
    [TestCase("por\u200Btal\u2066x\u2069", "por\\u200Btal\\u2066x\\u2069")]
    [TestCase("bell\u0007esc\u001b[0m", "bell\\u0007esc\\u001B[0m")]
    [TestCase("tag\U000E0041", "tag\\U000E0041")]
    public void Escape_ShowsTheCharacterAsItsEscape(string wire, string shown) =>
        Assert.That(DisplayText.Escape(wire), Is.EqualTo(shown));

    [TestCase("line one\r\nline\ttwo\n")]
    [TestCase("bücher.example 日本語 😀")]
    public void Escape_LayoutAndPrintableText_IsTheSameString(string text) =>
        Assert.That(DisplayText.Escape(text), Is.SameAs(text));
}
