using System.Runtime.CompilerServices;
using System.Text;

namespace ShadowMcp.Admin.Html;

/// <summary>
/// Builds a page. Every interpolation hole is HTML-encoded unless it is an <see cref="HtmlRaw"/>: findings come from
/// attacker-controlled traffic (server names, paths, hostnames), so encoding is the default rather than something to remember.
/// </summary>
internal sealed class HtmlBuilder
{
    internal StringBuilder Buffer { get; } = new(4096);

    public HtmlBuilder Add([InterpolatedStringHandlerArgument("")] ref HtmlInterpolatedStringHandler handler) => this;

    /// <summary>Appends text, encoded.</summary>
    public HtmlBuilder Text(string? text)
    {
        HtmlInterpolatedStringHandler.Encode(Buffer, text);
        return this;
    }

    public HtmlBuilder Raw(HtmlRaw markup)
    {
        Buffer.Append(markup.Value);
        return this;
    }

    public override string ToString() => Buffer.ToString();
}
