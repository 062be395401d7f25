namespace Folk.Lab.Evaluation;

/// <summary>A row of a <see cref="ResultsTable"/>: one encoder method, and its model when the table holds several.</summary>
/// <param name="Method">The pre-training method ("mfm", "random", …).</param>
/// <param name="Model">The architecture; null when every result of the table has the same one.</param>
/// <param name="Name">The row's label ("MFM", or "MFM · vit-t" with several models).</param>
public sealed record ResultsRow(string Method, string? Model, string Name);

/// <summary>A column of a <see cref="ResultsTable"/>: one setting, and its data set when the table holds several.</summary>
/// <param name="Setting">The setting (<see cref="EvaluationResult.Setting"/>).</param>
/// <param name="Data">The data set; null when every result of the table has the same one.</param>
/// <param name="Name">The column's heading (the paper's, with <c>--paper</c>; with the data set when there are several).</param>
public sealed record ResultsColumn(string Setting, string? Data, string Name);

/// <summary>
/// Many evaluations merged into one table shaped like a paper's: a row per encoder method (and model, when several),
/// a column per setting (and data set, when several), and in each cell the mean ± std over the seeds, with the
/// published number beside it and the difference where one is known for the same setting, model and data.
/// </summary>
/// <remarks>
/// Accuracies are shown in percent, as the papers print them. <see cref="ResultsTableText"/> writes the table as
/// Markdown, CSV or HTML; the notebook layer turns it into a DataFrame.
/// </remarks>
public sealed class ResultsTable
{
    readonly Dictionary<(int Row, int Column), ResultsCell> _cells;

    /// <summary>The layout the rows and columns follow.</summary>
    public PaperLayout Layout { get; }

    /// <summary>The rows, in the layout's order (methods it does not name last, by name).</summary>
    public IReadOnlyList<ResultsRow> Rows { get; }

    /// <summary>The columns, in the layout's order (settings it does not name last, by name).</summary>
    public IReadOnlyList<ResultsColumn> Columns { get; }

    /// <summary>The cell of a row and column; null where that method was not evaluated in that setting.</summary>
    public ResultsCell? this[int row, int column] => _cells.GetValueOrDefault((row, column));

    /// <summary>The published numbers the table shows, in the order they first appear (row by row): the footnotes.</summary>
    public IReadOnlyList<PaperNumber> PaperNumbersShown { get; }

    ResultsTable(PaperLayout layout, IReadOnlyList<ResultsRow> rows, IReadOnlyList<ResultsColumn> columns, Dictionary<(int, int), ResultsCell> cells)
    {
        Layout = layout;
        Rows = rows;
        Columns = columns;
        _cells = cells;
        PaperNumbersShown = Enumerable.Range(0, rows.Count)
            .SelectMany(r => Enumerable.Range(0, columns.Count).Select(c => this[r, c]?.Paper))
            .OfType<PaperNumber>().Distinct().ToList();
    }

    /// <summary>
    /// Merges <paramref name="results"/> into a table laid out as <paramref name="layout"/> says (default:
    /// <see cref="PaperLayout.Default"/>). Results of the same method, model, setting and data are seeds of one cell.
    /// </summary>
    /// <exception cref="ArgumentException">No results.</exception>
    /// <exception cref="InvalidDataException">A cell mixes metrics or holds one seed twice (see <see cref="ResultsCell"/>).</exception>
    public static ResultsTable Build(IEnumerable<EvaluationResult> results, PaperLayout? layout = null)
    {
        ArgumentNullException.ThrowIfNull(results);
        layout ??= PaperLayout.Default;
        var all = results.ToList();
        if (all.Count == 0) throw new ArgumentException("There are no results to tabulate.", nameof(results));
        bool severalModels = all.Select(r => r.Encoder.Model.ToLowerInvariant()).Distinct().Count() > 1;
        bool severalData = all.Select(r => r.Data.ToLowerInvariant()).Distinct().Count() > 1;

        var rows = all.Select(r => (Method: r.Encoder.Method.ToLowerInvariant(), Model: severalModels ? r.Encoder.Model.ToLowerInvariant() : null))
            .Distinct()
            .OrderBy(k => layout.RowRank(k.Method)).ThenBy(k => k.Method, StringComparer.Ordinal).ThenBy(k => k.Model, StringComparer.Ordinal)
            .Select(k => new ResultsRow(k.Method, k.Model, k.Model is null ? layout.RowName(k.Method) : $"{layout.RowName(k.Method)} · {k.Model}"))
            .ToList();
        var columns = all.Select(r => (Setting: r.Setting, Data: severalData ? r.Data.ToLowerInvariant() : null))
            .DistinctBy(k => (k.Setting.ToLowerInvariant(), k.Data))
            .OrderBy(k => layout.ColumnRank(k.Setting)).ThenBy(k => k.Setting, StringComparer.Ordinal).ThenBy(k => k.Data, StringComparer.Ordinal)
            .Select(k => new ResultsColumn(k.Setting, k.Data, k.Data is null ? layout.ColumnName(k.Setting) : $"{layout.ColumnName(k.Setting)} ({k.Data})"))
            .ToList();

        int RowOf(EvaluationResult r) => rows.FindIndex(row =>
            row.Method == r.Encoder.Method.ToLowerInvariant() && (row.Model is null || row.Model == r.Encoder.Model.ToLowerInvariant()));
        int ColumnOf(EvaluationResult r) => columns.FindIndex(column =>
            string.Equals(column.Setting, r.Setting, StringComparison.OrdinalIgnoreCase) && (column.Data is null || column.Data == r.Data.ToLowerInvariant()));
        var cells = all.GroupBy(r => (RowOf(r), ColumnOf(r))).ToDictionary(g => g.Key, g => new ResultsCell(g));
        return new ResultsTable(layout, rows, columns, cells);
    }

    /// <summary>
    /// <paramref name="results"/> with one result per seed of a cell (same method, model, setting, data and seed): the
    /// newest, by date. The others are returned as <c>Superseded</c> so that a caller says what it left out: two
    /// evaluations of one seed (say, two notebooks fine-tuning the same encoder under different recipes) would otherwise
    /// count as two seeds, which <see cref="Build"/> refuses.
    /// </summary>
    public static (IReadOnlyList<EvaluationResult> Kept, IReadOnlyList<EvaluationResult> Superseded) NewestPerSeed(IEnumerable<EvaluationResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var groups = results.GroupBy(r => (Method: r.Encoder.Method.ToLowerInvariant(), Model: r.Encoder.Model.ToLowerInvariant(),
            Setting: r.Setting.ToLowerInvariant(), Data: r.Data.ToLowerInvariant(), r.Seed)).ToList();
        var kept = groups.Select(g => g.MaxBy(r => r.Date)!).ToList();
        var superseded = groups.SelectMany(g => g.OrderByDescending(r => r.Date).Skip(1)).ToList();
        return (kept, superseded);
    }

    /// <summary>Reads every result.json under <paramref name="paths"/> (see <see cref="ResultFiles.Find"/>) and merges them.</summary>
    public static ResultsTable Read(IEnumerable<string> paths, PaperLayout? layout = null) =>
        Build(ResultFiles.Find(paths).Files.Select(EvaluationResult.Read), layout);

    /// <summary>True when any cell has a published number (the table then has paper and Δ columns for it).</summary>
    public bool HasPaperNumbers(int column) => Enumerable.Range(0, Rows.Count).Any(r => this[r, column]?.Paper is not null);
}
