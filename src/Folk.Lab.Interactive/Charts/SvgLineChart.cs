using System.Globalization;
using System.Text;
using Folk.Lab.Interactive.Rendering;

namespace Folk.Lab.Interactive.Charts;

/// <summary>
/// A small static line chart as inline SVG: no script, so it updates in place on every front end (trusted or not)
/// and stays visible in a saved notebook, on GitHub and in any HTML report. Used for the live training curves.
/// </summary>
/// <param name="Title">Shown above the plot.</param>
/// <param name="X">x values (e.g. steps), increasing.</param>
/// <param name="Y">y values.</param>
/// <param name="LogY">Logarithmic y axis (positive values only are drawn).</param>
/// <param name="Colour">Stroke colour.</param>
/// <param name="Width">Width in CSS pixels.</param>
/// <param name="Height">Height in CSS pixels.</param>
public sealed record SvgLineChart(string Title, IReadOnlyList<double> X, IReadOnlyList<double> Y, bool LogY = false,
                                  string Colour = "#6a1b9a", int Width = 360, int Height = 200)
{
    const int Left = 52, Right = 10, Top = 22, Bottom = 28;

    /// <summary>The chart as an <c>svg</c> element.</summary>
    public string ToSvg()
    {
        var svg = new StringBuilder();
        svg.Append($"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"folk-chart\" width=\"{Width}\" height=\"{Height}\" viewBox=\"0 0 {Width} {Height}\" ")
           .Append("style=\"font-family:system-ui,sans-serif;font-size:10px;background:#fff\">")
           .Append($"<text x=\"{Left}\" y=\"14\" font-size=\"12\" font-weight=\"600\">{Html.Encode(Title)}</text>");
        var points = Enumerable.Range(0, Math.Min(X.Count, Y.Count))
            .Where(i => double.IsFinite(Y[i]) && (!LogY || Y[i] > 0)).Select(i => (X[i], LogY ? Math.Log10(Y[i]) : Y[i])).ToList();
        int plotW = Width - Left - Right, plotH = Height - Top - Bottom;
        svg.Append($"<rect x=\"{Left}\" y=\"{Top}\" width=\"{plotW}\" height=\"{plotH}\" fill=\"none\" stroke=\"#ccc\"/>");
        if (points.Count > 0)
        {
            double x0 = points.Min(p => p.Item1), x1 = points.Max(p => p.Item1), y0 = points.Min(p => p.Item2), y1 = points.Max(p => p.Item2);
            if (x1 <= x0) x1 = x0 + 1;
            if (y1 <= y0) { double pad = Math.Max(Math.Abs(y0) * 0.1, 1e-12); y0 -= pad; y1 += pad; }
            string Px(double x) => F(Left + (x - x0) / (x1 - x0) * plotW);
            string Py(double y) => F(Top + (1 - (y - y0) / (y1 - y0)) * plotH);
            foreach (var (v, label) in new[] { (y1, Label(y1)), ((y0 + y1) / 2, Label((y0 + y1) / 2)), (y0, Label(y0)) })
                svg.Append($"<text x=\"{Left - 4}\" y=\"{Py(v)}\" text-anchor=\"end\" dominant-baseline=\"middle\">{label}</text>");
            svg.Append($"<text x=\"{Left}\" y=\"{Height - 10}\">{x0:g6}</text><text x=\"{Width - Right}\" y=\"{Height - 10}\" text-anchor=\"end\">{x1:g6}</text>");
            svg.Append($"<polyline fill=\"none\" stroke=\"{Colour}\" stroke-width=\"1.5\" points=\"");
            foreach (var (x, y) in points) svg.Append(Px(x)).Append(',').Append(Py(y)).Append(' ');
            svg.Append("\"/>");
        }
        return svg.Append("</svg>").ToString();
    }

    string Label(double v) => (LogY ? Math.Pow(10, v) : v).ToString("g3", CultureInfo.InvariantCulture);

    static string F(double v) => v.ToString("0.#", CultureInfo.InvariantCulture);

    /// <inheritdoc/>
    public override string ToString() => $"{Title}: {Y.Count} point(s)" + (Y.Count > 0 ? $", last {Y[^1]:g4}" : "");
}
