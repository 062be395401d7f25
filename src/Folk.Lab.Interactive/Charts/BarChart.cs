using System.Text.Json.Nodes;

namespace Folk.Lab.Interactive.Charts;

/// <summary>
/// Grouped bars: one group per category (a class, a corruption family), one bar per series (an encoder, a method), as
/// a plotly.js chart; for per-class and per-family comparisons that a table would list.
/// </summary>
/// <param name="Title">Shown above the chart.</param>
/// <param name="Categories">The groups, left to right.</param>
/// <param name="Series">Each series' name and its value per category (NaN: no bar).</param>
/// <param name="YTitle">The value axis' title.</param>
/// <param name="Percent">Values are fractions shown as percentages.</param>
public sealed record BarChart(string Title, IReadOnlyList<string> Categories, IReadOnlyList<(string Name, IReadOnlyList<double> Values)> Series,
                              string YTitle = "", bool Percent = false)
{
    static readonly string[] Colours = ["#6a1b9a", "#e65100", "#00838f", "#558b2f", "#ad1457", "#37474f"];

    /// <summary>A chart of several series over the same categories.</summary>
    /// <exception cref="ArgumentException">A series has not one value per category.</exception>
    public static BarChart Of(string title, IReadOnlyList<string> categories, string yTitle, bool percent, params (string Name, IReadOnlyList<double> Values)[] series)
    {
        foreach (var (name, values) in series)
            if (values.Count != categories.Count)
                throw new ArgumentException($"series '{name}' has {values.Count} values for {categories.Count} categories.", nameof(series));
        return new BarChart(title, categories, series, yTitle, percent);
    }

    /// <summary>The chart.</summary>
    public PlotlyFigure ToFigure()
    {
        var data = new JsonArray();
        for (int i = 0; i < Series.Count; i++)
        {
            var (name, values) = Series[i];
            data.Add(new JsonObject
            {
                ["type"] = "bar", ["name"] = name,
                ["x"] = new JsonArray(Categories.Select(c => (JsonNode)c).ToArray()),
                ["y"] = new JsonArray(values.Select(v => double.IsFinite(v) ? (JsonNode?)(Percent ? 100 * v : v) : null).ToArray()),
                ["marker"] = new JsonObject { ["color"] = Colours[i % Colours.Length] },
            });
        }
        var layout = new JsonObject
        {
            ["title"] = new JsonObject { ["text"] = Title },
            ["barmode"] = "group",
            ["yaxis"] = new JsonObject { ["title"] = new JsonObject { ["text"] = YTitle + (Percent ? " (%)" : "") } },
            ["margin"] = new JsonObject { ["l"] = 60, ["r"] = 20, ["t"] = 50, ["b"] = 110 },
        };
        return new PlotlyFigure(data, layout, Math.Max(640, 60 + 28 * Categories.Count * Math.Max(1, Series.Count)), 380);
    }

    /// <summary>The chart's HTML.</summary>
    public string ToHtml() => ToFigure().ToHtml();

    /// <inheritdoc/>
    public override string ToString() => $"BarChart '{Title}': " + string.Join("; ", Series.Select(s =>
        $"{s.Name}: " + string.Join(", ", Categories.Zip(s.Values).Select(p => $"{p.First} {(Percent ? $"{100 * p.Second:F1} %" : p.Second.ToString("G4", System.Globalization.CultureInfo.InvariantCulture))}"))));
}
