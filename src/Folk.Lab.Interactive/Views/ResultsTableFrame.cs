using Folk.Lab.Evaluation;
using Microsoft.Data.Analysis;

namespace Folk.Lab.Interactive.Views;

/// <summary>
/// A <see cref="ResultsTable"/> as a Microsoft.Data.Analysis <see cref="DataFrame"/>, one row per table row, for
/// sorting, filtering and plotting in a notebook.
/// </summary>
/// <remarks>
/// Columns: <c>method</c> and <c>model</c> (strings; the model is empty when the table has one), then for every
/// setting <c>"&lt;setting&gt;"</c> (the mean, double), <c>"&lt;setting&gt; std"</c> (double; missing for one seed) and
/// <c>"&lt;setting&gt; n"</c> (int), and where a published number is known <c>"&lt;setting&gt; paper"</c> and
/// <c>"&lt;setting&gt; Δ"</c> (double). A cell that was not measured is a missing value (null), never 0. Accuracies are
/// in percent, as the table shows them.
/// </remarks>
public static class ResultsTableFrame
{
    /// <summary>The table as a DataFrame.</summary>
    public static DataFrame ToDataFrame(this ResultsTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var rows = Enumerable.Range(0, table.Rows.Count).ToList();
        var columns = new List<DataFrameColumn>
        {
            new StringDataFrameColumn("row", table.Rows.Select(r => r.Name)),
            new StringDataFrameColumn("method", table.Rows.Select(r => r.Method)),
            new StringDataFrameColumn("model", table.Rows.Select(r => r.Model ?? "")),
        };
        for (int c = 0; c < table.Columns.Count; c++)
        {
            var name = table.Columns[c].Name;
            var cells = rows.Select(r => table[r, c]).ToList();
            columns.Add(new DoubleDataFrameColumn(name, cells.Select(cell => cell?.Mean)));
            columns.Add(new DoubleDataFrameColumn($"{name} std", cells.Select(cell => cell is { N: > 1 } ? cell.Std : (double?)null)));
            columns.Add(new Int32DataFrameColumn($"{name} n", cells.Select(cell => cell?.N)));
            if (!table.HasPaperNumbers(c)) continue;
            columns.Add(new DoubleDataFrameColumn($"{name} paper", cells.Select(cell => cell?.Paper?.Value)));
            columns.Add(new DoubleDataFrameColumn($"{name} Δ", cells.Select(cell => cell?.Delta)));
        }
        return new DataFrame(columns);
    }
}
