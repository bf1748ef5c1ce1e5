using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Encodings.Web;
using ShadowMcp.Core.Text;

namespace ShadowMcp.Admin.Html;

/// <summary>Literal parts go out as written; holes are HTML-encoded (see <see cref="HtmlBuilder"/>).</summary>
[InterpolatedStringHandler]
internal readonly ref struct HtmlInterpolatedStringHandler
{
    private readonly StringBuilder _buffer;

    public HtmlInterpolatedStringHandler(int literalLength, int formattedCount, HtmlBuilder builder)
    {
        _buffer = builder.Buffer;
        _buffer.EnsureCapacity(_buffer.Length + literalLength + formattedCount * 16);
    }

    public void AppendLiteral(string value) => _buffer.Append(value);

    public void AppendFormatted(HtmlRaw value) => _buffer.Append(value.Value);

    public void AppendFormatted(string? value) => Encode(_buffer, value);

    public void AppendFormatted<T>(T value) => Encode(_buffer, Convert.ToString(value, CultureInfo.InvariantCulture));

    public void AppendFormatted<T>(T value, string? format) where T : IFormattable =>
        Encode(_buffer, value.ToString(format, CultureInfo.InvariantCulture));

    /// <summary>
    /// HTML-encodes <paramref name="text"/> after showing its invisible and bidi characters as escapes
    /// (<see cref="DisplayText"/>): a character reference stops markup, but the browser still obeys a bidi override.
    /// </summary>
    internal static void Encode(StringBuilder buffer, string? text)
    {
        if (string.IsNullOrEmpty(text)) return;
        buffer.Append(HtmlEncoder.Default.Encode(DisplayText.Escape(text)));
    }
}
