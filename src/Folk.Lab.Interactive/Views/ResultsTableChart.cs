using System.Text.Json.Nodes;
using Folk.Lab.Evaluation;
using Folk.Lab.Interactive.Charts;

namespace Folk.Lab.Interactive.Views;

/// <summary>
/// A <see cref="ResultsTable"/> as grouped bars, which compare at a glance what the table's numbers say: a group per
/// setting (column), a bar per method (row) at its mean over seeds with the seeds' standard deviation as an error bar,
/// and each published number, where one is known, as a black diamond over its setting (the method named on hover).
/// Values are as the table shows them (accuracies and mIoU in %).
/// </summary>
/// <param name="Table">The merged results.</param>
public sealed record ResultsTableChart(ResultsTable Table)
{
    static readonly string[] Colours = ["#6a1b9a", "#e65100", "#00838f", "#558b2f", "#ad1457", "#37474f", "#1565c0", "#9e9d24"];

    /// <summary>The chart.</summary>
    public PlotlyFigure ToFigure()
    {
        var data = new JsonArray();
        var settings = Table.Columns.Select(c => (JsonNode)c.Name).ToArray();
        var paperX = new JsonArray();
        var paperY = new JsonArray();
        var paperText = new JsonArray();
        for (int r = 0; r < Table.Rows.Count; r++)
        {
            var y = new JsonArray();
            var error = new JsonArray();
            var hover = new JsonArray();
            for (int c = 0; c < Table.Columns.Count; c++)
            {
                var cell = Table[r, c];
                y.Add(cell is null ? null : (JsonNode)cell.Mean);
                error.Add(cell is { N: > 1 } && double.IsFinite(cell.Std) ? (JsonNode)cell.Std : 0);
                hover.Add(cell is null ? "" : $"{Table.Rows[r].Name} · {Table.Columns[c].Name}: {ResultsTableText.Summary(cell)}");
                if (cell?.Paper is { } paper)
                {
                    paperX.Add(Table.Columns[c].Name);
                    paperY.Add(paper.Value);
                    paperText.Add($"paper, {Table.Rows[r].Name}: {paper.Value:0.##} ({paper.Source})");
                }
            }
            data.Add(new JsonObject
            {
                ["type"] = "bar", ["name"] = Table.Rows[r].Name, ["x"] = new JsonArray(settings.Select(s => s?.DeepClone()).ToArray()), ["y"] = y,
                ["error_y"] = new JsonObject { ["type"] = "data", ["array"] = error, ["visible"] = true },
                ["hovertext"] = hover, ["hoverinfo"] = "text", ["marker"] = new JsonObject { ["color"] = Colours[r % Colours.Length] },
            });
        }
        if (paperX.Count > 0)
            data.Add(new JsonObject
            {
                ["type"] = "scatter", ["mode"] = "markers", ["name"] = "paper", ["x"] = paperX, ["y"] = paperY, ["hovertext"] = paperText, ["hoverinfo"] = "text",
                ["marker"] = new JsonObject { ["symbol"] = "diamond", ["size"] = 10, ["color"] = "black" },
            });
        var layout = new JsonObject
        {
            ["title"] = new JsonObject { ["text"] = Table.Layout.Title },
            ["barmode"] = "group",
            ["yaxis"] = new JsonObject { ["title"] = new JsonObject { ["text"] = "mean over seeds (accuracy and mIoU in %)" } },
            ["margin"] = new JsonObject { ["l"] = 60, ["r"] = 20, ["t"] = 50, ["b"] = 80 },
        };
        return new PlotlyFigure(data, layout, 760, 420);
    }

    /// <summary>The chart's HTML.</summary>
    public string ToHtml() => ToFigure().ToHtml();
}
