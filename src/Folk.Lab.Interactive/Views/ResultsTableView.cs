using System.Globalization;
using System.Text;
using Folk.Lab.Evaluation;
using Folk.Lab.Interactive.Rendering;

namespace Folk.Lab.Interactive.Views;

/// <summary>
/// A <see cref="ResultsTable"/> as a notebook shows it: the paper-shaped table with "mean ± std (n)" cells, the
/// published number beside ours with its source on hover and as a footnote, and Δ coloured as in
/// <see cref="ComparisonTable"/> (green: ours higher, red: lower, grey: within the seeds' std).
/// </summary>
/// <param name="Table">The merged results.</param>
public sealed record ResultsTableView(ResultsTable Table)
{
    /// <summary>The table as a DataFrame (<see cref="ResultsTableFrame.ToDataFrame"/>).</summary>
    public Microsoft.Data.Analysis.DataFrame ToDataFrame() => Table.ToDataFrame();

    /// <summary>Only the cells with a published number, as paper-vs-ours rows (tolerance: the seeds' std).</summary>
    public ComparisonTable ToComparison()
    {
        var rows = new List<ComparisonRow>();
        for (int r = 0; r < Table.Rows.Count; r++)
            for (int c = 0; c < Table.Columns.Count; c++)
                if (Table[r, c] is { Paper: { } paper } cell)
                    rows.Add(new ComparisonRow($"{Table.Rows[r].Name} · {Table.Columns[c].Name}", paper.Value, cell.Mean,
                        Tolerance: cell.N > 1 && double.IsFinite(cell.Std) ? cell.Std : 0,
                        Note: $"n={cell.N}; {paper.Source}{(paper.Verified ? "" : " (not yet verified)")}"));
        return new ComparisonTable(rows, Table.Layout.Title);
    }

    /// <summary>The table's HTML.</summary>
    public string ToHtml()
    {
        var sources = Table.PaperNumbersShown.Select(p => p.Source).Distinct().ToList();
        var html = new StringBuilder($"<div class=\"folk-view\"><div style=\"{Html.Font};font-weight:600;margin-bottom:4px\">{Html.Encode(Table.Layout.Title)}</div>")
            .Append($"<table class=\"folk-table folk-results\" style=\"{DataFrameTable.TableStyle}\"><thead><tr><th style=\"{DataFrameTable.HeadStyle}\">method</th>");
        for (int c = 0; c < Table.Columns.Count; c++)
        {
            html.Append($"<th style=\"{DataFrameTable.HeadStyle}\">{Html.Encode(Table.Columns[c].Name)}</th>");
            if (Table.HasPaperNumbers(c)) html.Append($"<th style=\"{DataFrameTable.HeadStyle}\">paper</th><th style=\"{DataFrameTable.HeadStyle}\">Δ</th>");
        }
        html.Append("</tr></thead><tbody>");
        const string right = DataFrameTable.CellStyle + ";text-align:right";
        for (int r = 0; r < Table.Rows.Count; r++)
        {
            html.Append($"<tr><td style=\"{DataFrameTable.CellStyle}\">{Html.Encode(Table.Rows[r].Name)}</td>");
            for (int c = 0; c < Table.Columns.Count; c++)
            {
                var cell = Table[r, c];
                html.Append($"<td style=\"{right}\">{(cell is null ? "—" : Html.Encode(ResultsTableText.Summary(cell)))}</td>");
                if (!Table.HasPaperNumbers(c)) continue;
                if (cell?.Paper is { } paper)
                {
                    var row = new ComparisonRow("", paper.Value, cell.Mean, Tolerance: cell.N > 1 && double.IsFinite(cell.Std) ? cell.Std : 0);
                    html.Append($"<td style=\"{right}\" title=\"{Html.Encode(paper.Source)}\">{N(paper.Value)}<sup>{sources.IndexOf(paper.Source) + 1}{(paper.Verified ? "" : "†")}</sup></td>")
                        .Append($"<td class=\"folk-delta\" style=\"{right};font-weight:600;color:{ComparisonTable.ColourOf(row)}\">{Signed(row.Delta)}</td>");
                }
                else html.Append($"<td style=\"{right}\"></td><td style=\"{right}\"></td>");
            }
            html.Append("</tr>");
        }
        html.Append($"</tbody></table><div style=\"{Html.Font};color:#666;margin-top:4px\">{Html.Encode(ResultsTableText.Legend)}");
        foreach (var (source, i) in sources.Select((s, i) => (s, i)))
            html.Append($"<br>{i + 1}. {Html.Encode(source)}");
        if (Table.PaperNumbersShown.Any(p => !p.Verified)) html.Append("<br>† not yet verified against the paper");
        return html.Append("</div></div>").ToString();
    }

    static string N(double v) => v.ToString("0.0##", CultureInfo.InvariantCulture);

    static string Signed(double v) => (Math.Round(v, 2) == 0 ? "±" : v > 0 ? "+" : "−") + Math.Abs(v).ToString("F2", CultureInfo.InvariantCulture);

    /// <inheritdoc/>
    public override string ToString() => ResultsTableText.Markdown(Table);
}
