using System.Globalization;
using System.Text;

namespace ShadowMcp.Reports.Writers;

/// <summary>A small inline SVG bar chart (one or two series side by side per label). No scripts, no external refs.</summary>
internal static class SvgBarChart
{
    private const int Width = 640, Height = 220, Left = 64, Bottom = 36, Top = 24;

    public static string Render(string title, IReadOnlyList<string> labels, IReadOnlyList<(string Name, string CssClass, IReadOnlyList<long> Values)> series)
    {
        var max = Math.Max(1, series.SelectMany(s => s.Values).DefaultIfEmpty(0).Max());
        var plotW = Width - Left - 8;
        var plotH = Height - Top - Bottom;
        var slot = plotW / (double)Math.Max(1, labels.Count);
        var barW = slot * 0.8 / Math.Max(1, series.Count);
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"<svg class=\"chart\" viewBox=\"0 0 {Width} {Height}\" role=\"img\" aria-label=\"{Text.Html(title)}\">\n");
        sb.Append(CultureInfo.InvariantCulture, $"<title>{Text.Html(title)}</title>\n");
        // Three labelled grid lines (0, half, the maximum) with thousands separators, so the axis reads at a glance.
        long[] ticks = max >= 2 ? [0, max / 2, max] : [0, max];
        foreach (var value in ticks)
        {
            var y = Top + plotH - plotH * (double)value / max;
            sb.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" y1=\"{y:0.#}\" x2=\"{Width - 8}\" y2=\"{y:0.#}\" class=\"{(value == 0 ? "axis" : "grid")}\"/>\n");
            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left - 6}\" y=\"{y + 4:0.#}\" text-anchor=\"end\" class=\"tick\">{value:N0}</text>\n");
        }
        for (var i = 0; i < labels.Count; i++)
        {
            var x0 = Left + i * slot + slot * 0.1;
            for (var s = 0; s < series.Count; s++)
            {
                var v = i < series[s].Values.Count ? series[s].Values[i] : 0;
                var h = plotH * (double)v / max;
                sb.Append(CultureInfo.InvariantCulture,
                    $"<rect x=\"{x0 + s * barW:0.#}\" y=\"{Top + plotH - h:0.#}\" width=\"{barW:0.#}\" height=\"{h:0.#}\" class=\"{series[s].CssClass}\"><title>{Text.Html(series[s].Name)} {Text.Html(labels[i])}: {v:N0}</title></rect>\n");
            }
            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left + i * slot + slot / 2:0.#}\" y=\"{Height - Bottom + 16}\" text-anchor=\"middle\" class=\"tick\">{Text.Html(labels[i])}</text>\n");
        }
        var lx = Left;
        foreach (var s in series)
        {
            sb.Append(CultureInfo.InvariantCulture, $"<rect x=\"{lx}\" y=\"4\" width=\"10\" height=\"10\" class=\"{s.CssClass}\"/><text x=\"{lx + 14}\" y=\"13\" class=\"tick\">{Text.Html(s.Name)}</text>\n");
            lx += 14 + 8 * s.Name.Length + 16;
        }
        sb.Append("</svg>\n");
        return sb.ToString();
    }
}
