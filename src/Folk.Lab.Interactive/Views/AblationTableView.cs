using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Folk.Lab.Experiments;
using Folk.Lab.Interactive.Charts;
using Folk.Lab.Interactive.Rendering;
using Microsoft.Data.Analysis;

namespace Folk.Lab.Interactive.Views;

/// <summary>
/// An <see cref="AblationTable"/> as a notebook shows it: group by group, the paper's finding above the group's rows,
/// each row's numbers with its difference from the group's reference (green: higher, red: lower, grey: within
/// <see cref="Tolerance"/>), what the paper reports for the row, and a chart (<see cref="ToFigure"/>) of every row's
/// difference from its reference, one bar per setting.
/// </summary>
/// <param name="Table">The measured table.</param>
public sealed record AblationTableView(AblationTable Table)
{
    /// <summary>Differences within ± this many points are coloured as a match (grey): at quick scale a seed moves a
    /// probe by about a point.</summary>
    public double Tolerance { get; init; } = 1.0;

    static readonly string[] Colours = ["#1565c0", "#ef6c00", "#2e7d32", "#6a1b9a"];

    /// <summary>The table's HTML.</summary>
    public string ToHtml()
    {
        const string right = DataFrameTable.CellStyle + ";text-align:right";
        var html = new StringBuilder($"<div class=\"folk-view\"><div style=\"{Html.Font};font-weight:600;margin-bottom:4px\">{Html.Encode(Table.Study.Title)}</div>")
            .Append($"<table class=\"folk-table folk-ablation\" style=\"{DataFrameTable.TableStyle}\"><thead><tr><th style=\"{DataFrameTable.HeadStyle}\">setting</th>");
        foreach (var setting in Table.Settings)
            html.Append($"<th style=\"{DataFrameTable.HeadStyle}\">{Html.Encode(setting)} (%)</th><th style=\"{DataFrameTable.HeadStyle}\">Δ</th>");
        html.Append($"<th style=\"{DataFrameTable.HeadStyle}\">paper</th></tr></thead><tbody>");
        int columns = 2 + 2 * Table.Settings.Count;
        foreach (var group in Table.Rows.Select(r => r.Group).Distinct())
        {
            string finding = Table.Study.Findings.TryGetValue(group, out var f) ? f : "";
            html.Append($"<tr><td colspan=\"{columns}\" style=\"{DataFrameTable.CellStyle};background:#f5f5f5\"><b>{Html.Encode(group)}</b>")
                .Append($"<div style=\"color:#666;font-size:11px;max-width:900px\">{Html.Encode(finding)}</div></td></tr>");
            for (int r = 0; r < Table.Rows.Count; r++)
            {
                var row = Table.Rows[r];
                if (row.Group != group) continue;
                html.Append($"<tr><td style=\"{DataFrameTable.CellStyle}{(row.Reference ? ";font-weight:600" : "")}\">{Html.Encode(row.Label)}</td>");
                for (int s = 0; s < Table.Settings.Count; s++)
                {
                    html.Append($"<td style=\"{right}\">{(Table[r, s] is { } v ? N(v) : "—")}</td>");
                    html.Append(Table.Delta(r, s) is { } d
                        ? $"<td class=\"folk-delta\" style=\"{right};font-weight:600;color:{Colour(d)}\">{Signed(d)}</td>"
                        : $"<td style=\"{right};color:#999\">{(row.Reference ? "ref." : "")}</td>");
                }
                html.Append($"<td style=\"{DataFrameTable.CellStyle};color:#555\">{Html.Encode(row.Paper)}</td></tr>");
            }
        }
        return html.Append("</tbody></table></div>").ToString();
    }

    /// <summary>
    /// Every non-reference row's difference from its group's reference, in points, one horizontal bar per setting,
    /// rows labelled "group · setting" top to bottom in the table's order: a bar right of zero is a row that beat its
    /// reference.
    /// </summary>
    public PlotlyFigure ToFigure()
    {
        var rows = Enumerable.Range(0, Table.Rows.Count).Where(r => !Table.Rows[r].Reference).ToList();
        var labels = rows.Select(r => (JsonNode)$"{Table.Rows[r].Group} · {Table.Rows[r].Label}").ToArray();
        var data = new JsonArray();
        for (int s = 0; s < Table.Settings.Count; s++)
        {
            int column = s;
            data.Add(new JsonObject
            {
                ["type"] = "bar", ["orientation"] = "h", ["name"] = Table.Settings[s],
                ["y"] = new JsonArray(labels.Select(l => l!.DeepClone()).ToArray()),
                ["x"] = new JsonArray(rows.Select(r => Table.Delta(r, column) is { } d ? (JsonNode)Math.Round(d, 2) : null).ToArray()),
                ["marker"] = new JsonObject { ["color"] = Colours[s % Colours.Length] },
            });
        }
        var layout = new JsonObject
        {
            ["title"] = new JsonObject { ["text"] = $"{Table.Study.Title}: each setting minus its group's reference" },
            ["barmode"] = "group",
            ["xaxis"] = new JsonObject { ["title"] = new JsonObject { ["text"] = "Δ top-1 vs the reference (points)" }, ["zeroline"] = true, ["zerolinewidth"] = 2 },
            ["yaxis"] = new JsonObject { ["autorange"] = "reversed", ["automargin"] = true },
            ["legend"] = new JsonObject { ["orientation"] = "h", ["y"] = -0.12 },
            ["margin"] = new JsonObject { ["l"] = 20, ["r"] = 20, ["t"] = 50, ["b"] = 60 },
        };
        return new PlotlyFigure(data, layout, 860, Math.Max(320, 90 + 34 * rows.Count));
    }

    /// <summary>The table as a DataFrame: group, setting, reference, then per setting its value and Δ, then the paper.</summary>
    public DataFrame ToDataFrame()
    {
        var columns = new List<DataFrameColumn>
        {
            new StringDataFrameColumn("group", Table.Rows.Select(r => r.Group)),
            new StringDataFrameColumn("setting", Table.Rows.Select(r => r.Label)),
            new BooleanDataFrameColumn("reference", Table.Rows.Select(r => r.Reference)),
        };
        for (int s = 0; s < Table.Settings.Count; s++)
        {
            int column = s;
            columns.Add(new DoubleDataFrameColumn(Table.Settings[s], Enumerable.Range(0, Table.Rows.Count).Select(r => Table[r, column])));
            columns.Add(new DoubleDataFrameColumn($"Δ {Table.Settings[s]}", Enumerable.Range(0, Table.Rows.Count).Select(r => Table.Delta(r, column))));
        }
        columns.Add(new StringDataFrameColumn("paper", Table.Rows.Select(r => r.Paper)));
        return new DataFrame(columns);
    }

    /// <summary>The table as Markdown (the text/plain form).</summary>
    public override string ToString()
    {
        var text = new StringBuilder($"{Table.Study.Title}\n\n| group | setting | ")
            .Append(string.Join(" | ", Table.Settings.Select(s => $"{s} (%) | Δ"))).Append(" | paper |\n|---|---|")
            .Append(string.Concat(Enumerable.Repeat("---:|---:|", Table.Settings.Count))).Append("---|\n");
        for (int r = 0; r < Table.Rows.Count; r++)
        {
            var row = Table.Rows[r];
            text.Append($"| {row.Group} | {row.Label}{(row.Reference ? " (ref.)" : "")} | ");
            for (int s = 0; s < Table.Settings.Count; s++)
                text.Append(Table[r, s] is { } v ? N(v) : "—").Append(" | ").Append(Table.Delta(r, s) is { } d ? Signed(d) : "").Append(" | ");
            text.Append(row.Paper).Append(" |\n");
        }
        return text.ToString();
    }

    string Colour(double delta) => Math.Abs(delta) <= Tolerance ? ComparisonTable.Match : delta > 0 ? ComparisonTable.Better : ComparisonTable.Worse;

    static string N(double v) => v.ToString("F1", CultureInfo.InvariantCulture);

    static string Signed(double v) => (Math.Round(v, 1) == 0 ? "±" : v > 0 ? "+" : "−") + Math.Abs(v).ToString("F1", CultureInfo.InvariantCulture);
}
