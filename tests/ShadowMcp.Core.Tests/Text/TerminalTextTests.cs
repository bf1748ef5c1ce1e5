using ShadowMcp.Core.Text;

namespace ShadowMcp.Core.Tests.Text;

/// <summary>Wire text on a terminal: every sequence-starting, line-moving or text-hiding character is shown as an escape.</summary>
public sealed class TerminalTextTests
{
    [TestCase("\u001b[2Jgone", "\\u001B[2Jgone")]
    [TestCase("\u001b]8;;https://attacker.test/\u0007notes", "\\u001B]8;;https://attacker.test/\\u0007notes")]
    [TestCase("\u009b31m", "\\u009B31m")]
    [TestCase("a\rb\nc\td", "a\\u000Db\\u000Ac\\u0009d")]
    [TestCase("invoice\u202Efdp.exe", "invoice\\u202Efdp.exe")]
    [TestCase("por\u200Btal", "por\\u200Btal")]
    [TestCase("x\u2028y\u2029z\u007f", "x\\u2028y\\u2029z\\u007F")]
    [TestCase("tag\U000E0041", "tag\\U000E0041")]
    public void Escape_ShowsTheCharacterAsItsEscape(string wire, string shown) =>
        Assert.That(TerminalText.Escape(wire), Is.EqualTo(shown));

    [TestCase("notes-server 0.3")]
    [TestCase("bücher.example/straße [red]x[/] \\u001B")]
    [TestCase("日本語 😀")]
    [TestCase("")]
    public void Escape_PrintableText_IsTheSameString(string text) =>
        Assert.That(TerminalText.Escape(text), Is.SameAs(text));

    [Test]
    public void Escape_LoneSurrogate_IsShownAsItsEscape()
    {
        // Built at run time: an attribute's string cannot hold a lone surrogate.
        var wire = "lone" + (char)0xD800 + "x" + (char)0xDC00;
        Assert.That(TerminalText.Escape(wire), Is.EqualTo("lone\\uD800x\\uDC00"));
    }

    [Test]
    public void Escape_Null_IsEmpty() => Assert.That(TerminalText.Escape(null), Is.EqualTo(""));
}
