using System.Text.Json.Nodes;

namespace Folk.Lab.Interactive.Charts;

/// <summary>
/// Several curves on shared axes as a plotly.js chart: the training losses of two runs, a quantity against a setting;
/// what a printed list of numbers would show less well.
/// </summary>
/// <param name="Title">Shown above the chart.</param>
/// <param name="XTitle">The x axis' title.</param>
/// <param name="YTitle">The y axis' title.</param>
/// <param name="Series">Each curve's name and points.</param>
/// <param name="LogY">A logarithmic y axis.</param>
public sealed record LineChart(string Title, string XTitle, string YTitle, IReadOnlyList<(string Name, IReadOnlyList<double> X, IReadOnlyList<double> Y)> Series, bool LogY = false)
{
    static readonly string[] Colours = ["#6a1b9a", "#e65100", "#00838f", "#558b2f", "#ad1457", "#37474f"];

    /// <summary>A chart of several curves.</summary>
    /// <exception cref="ArgumentException">A curve has not as many y values as x values.</exception>
    public static LineChart Of(string title, string xTitle, string yTitle, params (string Name, IReadOnlyList<double> X, IReadOnlyList<double> Y)[] series)
    {
        foreach (var (name, x, y) in series)
            if (x.Count != y.Count) throw new ArgumentException($"curve '{name}' has {x.Count} x values and {y.Count} y values.", nameof(series));
        return new LineChart(title, xTitle, yTitle, series);
    }

    /// <summary>The chart.</summary>
    public PlotlyFigure ToFigure()
    {
        var data = new JsonArray();
        for (int i = 0; i < Series.Count; i++)
        {
            var (name, x, y) = Series[i];
            data.Add(new JsonObject
            {
                ["type"] = "scatter", ["mode"] = x.Count > 30 ? "lines" : "lines+markers", ["name"] = name,
                ["x"] = new JsonArray(x.Select(v => (JsonNode)v).ToArray()),
                ["y"] = new JsonArray(y.Select(v => double.IsFinite(v) ? (JsonNode?)v : null).ToArray()),
                ["line"] = new JsonObject { ["color"] = Colours[i % Colours.Length], ["width"] = 2 },
            });
        }
        var layout = new JsonObject
        {
            ["title"] = new JsonObject { ["text"] = Title },
            ["xaxis"] = new JsonObject { ["title"] = new JsonObject { ["text"] = XTitle } },
            ["yaxis"] = new JsonObject { ["title"] = new JsonObject { ["text"] = YTitle }, ["type"] = LogY ? "log" : "linear" },
            ["margin"] = new JsonObject { ["l"] = 60, ["r"] = 20, ["t"] = 50, ["b"] = 55 },
        };
        return new PlotlyFigure(data, layout, 640, 380);
    }

    /// <summary>The chart's HTML.</summary>
    public string ToHtml() => ToFigure().ToHtml();

    /// <inheritdoc/>
    public override string ToString() => $"LineChart '{Title}': " + string.Join("; ", Series.Select(s =>
        $"{s.Name} ({s.X.Count} points{(s.Y.Count > 0 ? $", last {s.Y[^1]:G4}" : "")})"));
}
