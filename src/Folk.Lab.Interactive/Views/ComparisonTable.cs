using System.Globalization;
using System.Text;
using Folk.Lab.Interactive.Rendering;
using Microsoft.Data.Analysis;

namespace Folk.Lab.Interactive.Views;

/// <summary>One line of a paper-vs-ours table.</summary>
/// <param name="Metric">What is measured (e.g. "ViT-B/16 fine-tune top-1").</param>
/// <param name="Paper">The paper's number.</param>
/// <param name="Ours">Ours.</param>
/// <param name="HigherIsBetter">Direction of "better" (accuracy: true; error, loss: false).</param>
/// <param name="Tolerance">A difference within ± this counts as a match (grey).</param>
/// <param name="Note">A plain word on what the row can and cannot show (e.g. "quick scale").</param>
public sealed record ComparisonRow(string Metric, double Paper, double Ours, bool HigherIsBetter = true, double Tolerance = 0, string? Note = null)
{
    /// <summary>Ours − paper.</summary>
    public double Delta => Ours - Paper;

    /// <summary>+1 better than the paper, −1 worse, 0 within the tolerance.</summary>
    public int Verdict => Math.Abs(Delta) <= Tolerance ? 0 : (Delta > 0) == HigherIsBetter ? 1 : -1;
}

/// <summary>
/// Paper vs ours, one row per metric, with the difference coloured: green when ours is better, red when worse,
/// grey within the row's tolerance (MAE's "85.5 vs 85.4 in paper", at a glance).
/// </summary>
/// <param name="Rows">The rows.</param>
/// <param name="Title">Caption above the table.</param>
public sealed record ComparisonTable(IReadOnlyList<ComparisonRow> Rows, string Title = "Paper vs ours")
{
    /// <summary>The colour of a better delta.</summary>
    public const string Better = "#1b7f3b";
    /// <summary>The colour of a worse delta.</summary>
    public const string Worse = "#c62828";
    /// <summary>The colour of a delta within tolerance.</summary>
    public const string Match = "#757575";

    /// <summary>The colour of a row's delta.</summary>
    public static string ColourOf(ComparisonRow row) => row.Verdict switch { > 0 => Better, < 0 => Worse, _ => Match };

    /// <summary>The table's HTML.</summary>
    public string ToHtml()
    {
        var html = new StringBuilder($"<div class=\"folk-view\"><div style=\"{Html.Font};font-weight:600;margin-bottom:4px\">{Html.Encode(Title)}</div>")
            .Append($"<table class=\"folk-table folk-comparison\" style=\"{DataFrameTable.TableStyle}\"><thead><tr>");
        foreach (var head in new[] { "metric", "paper", "ours", "Δ", "note" })
            html.Append($"<th style=\"{DataFrameTable.HeadStyle}\">{head}</th>");
        html.Append("</tr></thead><tbody>");
        foreach (var row in Rows)
        {
            string colour = ColourOf(row);
            html.Append("<tr>")
                .Append($"<td style=\"{DataFrameTable.CellStyle}\">{Html.Encode(row.Metric)}</td>")
                .Append($"<td style=\"{DataFrameTable.CellStyle};text-align:right\">{N(row.Paper)}</td>")
                .Append($"<td style=\"{DataFrameTable.CellStyle};text-align:right\">{N(row.Ours)}</td>")
                .Append($"<td class=\"folk-delta\" style=\"{DataFrameTable.CellStyle};text-align:right;font-weight:600;color:{colour}\">{Signed(row.Delta)}</td>")
                .Append($"<td style=\"{DataFrameTable.CellStyle};color:#666\">{Html.Encode(row.Note ?? "")}</td>")
                .Append("</tr>");
        }
        return html.Append("</tbody></table></div>").ToString();
    }

    /// <summary>The same rows as a DataFrame (metric, paper, ours, delta).</summary>
    public DataFrame ToDataFrame() => new(
        new StringDataFrameColumn("metric", Rows.Select(r => r.Metric)),
        new DoubleDataFrameColumn("paper", Rows.Select(r => r.Paper)),
        new DoubleDataFrameColumn("ours", Rows.Select(r => r.Ours)),
        new DoubleDataFrameColumn("delta", Rows.Select(r => r.Delta)));

    static string N(double v) => v.ToString("0.###", CultureInfo.InvariantCulture);

    static string Signed(double v) => (v > 0 ? "+" : v < 0 ? "−" : "±") + Math.Abs(v).ToString("0.###", CultureInfo.InvariantCulture);

    /// <inheritdoc/>
    public override string ToString() =>
        Title + "\n" + string.Join('\n', Rows.Select(r => $"{r.Metric}: paper {N(r.Paper)}, ours {N(r.Ours)}, Δ {Signed(r.Delta)}"));
}
