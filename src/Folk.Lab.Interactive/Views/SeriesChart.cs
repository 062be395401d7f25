using System.Globalization;
using System.Text.Json.Nodes;
using Folk.Lab.Interactive.Charts;

namespace Folk.Lab.Interactive.Views;

/// <summary>How a <see cref="SeriesChart"/> draws its series.</summary>
public enum SeriesChartKind
{
    /// <summary>Grouped bars: one group per category, one bar per series.</summary>
    Bars,

    /// <summary>Lines with markers: one line per series over the categories (or the series' own x values).</summary>
    Lines,
}

/// <summary>One named series of a <see cref="SeriesChart"/>.</summary>
/// <param name="Name">The legend's label (a method, an encoder, a metric).</param>
/// <param name="Y">One value per category (or per x value); NaN leaves a gap.</param>
/// <param name="Error">Half-widths of symmetric error bars (a 95 % interval, a standard deviation), one per value;
/// null: none.</param>
/// <param name="X">Numeric x values for a line over a numeric axis (steps, epochs); null: the chart's categories.</param>
public sealed record ChartSeries(string Name, IReadOnlyList<double> Y, IReadOnlyList<double>? Error = null, IReadOnlyList<double>? X = null);

/// <summary>
/// A small chart of named series, the figure a results table or a measurement needs in place of a printed list: grouped
/// bars with optional error bars (accuracy per encoder with its 95 % interval, cost relative to MFM), or lines (top-1
/// against the label fraction, a loss against the step). Drawn with plotly.js.
/// </summary>
/// <param name="Title">Shown above the plot.</param>
/// <param name="Categories">The x axis's categories (bars, or lines without <see cref="ChartSeries.X"/>).</param>
/// <param name="Series">The series, drawn in order.</param>
/// <param name="Kind">Bars or lines.</param>
/// <param name="YTitle">The y axis's title ("top-1 (%)").</param>
/// <param name="XTitle">The x axis's title.</param>
/// <param name="LogY">Logarithmic y axis.</param>
/// <param name="Reference">A dashed horizontal line (chance level, the MFM baseline at 1×); null: none.</param>
/// <param name="ReferenceLabel">The reference line's label.</param>
public sealed record SeriesChart(
    string Title, IReadOnlyList<string> Categories, IReadOnlyList<ChartSeries> Series, SeriesChartKind Kind = SeriesChartKind.Bars,
    string? YTitle = null, string? XTitle = null, bool LogY = false, double? Reference = null, string? ReferenceLabel = null)
{
    static readonly string[] Colours = ["#6a1b9a", "#e65100", "#00838f", "#558b2f", "#ad1457", "#37474f", "#f9a825", "#1565c0"];

    /// <summary>Grouped bars of <paramref name="series"/> over <paramref name="categories"/>.</summary>
    public static SeriesChart Bars(string title, IReadOnlyList<string> categories, params ChartSeries[] series) => new(title, categories, series);

    /// <summary>Lines of <paramref name="series"/> over <paramref name="categories"/> (or their own x values).</summary>
    public static SeriesChart Lines(string title, IReadOnlyList<string> categories, params ChartSeries[] series) =>
        new(title, categories, series, SeriesChartKind.Lines);

    /// <summary>The chart as a plotly.js figure.</summary>
    /// <exception cref="ArgumentException">A series whose values, errors or x values do not match its axis.</exception>
    public PlotlyFigure ToFigure()
    {
        var data = new JsonArray();
        for (int i = 0; i < Series.Count; i++)
        {
            var s = Series[i];
            int expected = s.X?.Count ?? Categories.Count;
            if (s.Y.Count != expected)
                throw new ArgumentException($"Series '{s.Name}' has {s.Y.Count} values for {expected} {(s.X is null ? "categories" : "x values")}.");
            if (s.Error is { } e && e.Count != s.Y.Count)
                throw new ArgumentException($"Series '{s.Name}' has {e.Count} error bars for {s.Y.Count} values.");
            string colour = Colours[i % Colours.Length];
            var trace = new JsonObject
            {
                ["type"] = Kind == SeriesChartKind.Bars ? "bar" : "scatter",
                ["name"] = s.Name,
                ["x"] = s.X is { } x ? Numbers(x) : new JsonArray(Categories.Select(c => (JsonNode)c).ToArray()),
                ["y"] = Numbers(s.Y),
            };
            if (Kind == SeriesChartKind.Lines)
            {
                trace["mode"] = s.Y.Count > 60 ? "lines" : "lines+markers";
                trace["line"] = new JsonObject { ["color"] = colour, ["width"] = 2 };
            }
            else trace["marker"] = new JsonObject { ["color"] = colour };
            if (s.Error is { } error)
                trace["error_y"] = new JsonObject { ["type"] = "data", ["array"] = Numbers(error), ["visible"] = true, ["thickness"] = 1.5, ["width"] = 5 };
            data.Add(trace);
        }
        var layout = new JsonObject
        {
            ["title"] = new JsonObject { ["text"] = Title },
            ["barmode"] = "group",
            ["xaxis"] = Series.All(s => s.X is null)      // categories stay categories, even "1 %" and "10 %" (plotly would read numbers)
                ? new JsonObject { ["title"] = new JsonObject { ["text"] = XTitle ?? "" }, ["type"] = "category" }
                : new JsonObject { ["title"] = new JsonObject { ["text"] = XTitle ?? "" } },
            ["yaxis"] = new JsonObject { ["title"] = new JsonObject { ["text"] = YTitle ?? "" }, ["type"] = LogY ? "log" : "linear" },
            ["margin"] = new JsonObject { ["l"] = 64, ["r"] = 20, ["t"] = 50, ["b"] = 60 },
            ["legend"] = new JsonObject { ["orientation"] = "h", ["y"] = -0.2 },
        };
        if (Reference is { } reference)
        {
            layout["shapes"] = new JsonArray(new JsonObject
            {
                ["type"] = "line", ["xref"] = "paper", ["x0"] = 0, ["x1"] = 1, ["yref"] = "y", ["y0"] = reference, ["y1"] = reference,
                ["line"] = new JsonObject { ["color"] = "#757575", ["width"] = 1, ["dash"] = "dash" },
            });
            if (ReferenceLabel is { } label)
                layout["annotations"] = new JsonArray(new JsonObject
                {
                    ["xref"] = "paper", ["x"] = 1, ["xanchor"] = "right", ["yref"] = "y", ["y"] = reference, ["yanchor"] = "bottom",
                    ["text"] = label, ["showarrow"] = false, ["font"] = new JsonObject { ["color"] = "#757575", ["size"] = 11 },
                });
        }
        return new PlotlyFigure(data, layout, 720, 420);
    }

    /// <summary>The chart's HTML.</summary>
    public string ToHtml() => ToFigure().ToHtml();

    /// <summary>The values as text, one line per series (the chart's text/plain form; a long series by its ends).</summary>
    public override string ToString() => Title + "\n" + string.Join('\n', Series.Select(s => s.Y.Count > 12
        ? $"{s.Name}: {s.Y.Count} points, first {N(s.Y[0])}, last {N(s.Y[^1])}"
        : $"{s.Name}: " + string.Join(", ", s.Y.Select((y, i) =>
            $"{(s.X is { } x ? N(x[i]) : Categories[i])} {N(y)}{(s.Error is { } e ? $" ± {N(e[i])}" : "")}"))));

    static JsonArray Numbers(IEnumerable<double> values) =>
        new(values.Select(v => double.IsFinite(v) ? JsonValue.Create(v) : null).ToArray<JsonNode?>());

    static string N(double v) => v.ToString("0.###", CultureInfo.InvariantCulture);
}
