using System.Globalization;
using System.Net;
using System.Text;

namespace Folk.Lab.Evaluation;

/// <summary>
/// A <see cref="ResultsTable"/> as text: Markdown for reading, CSV for scripts (one number per field), HTML for pages.
/// Each is a string; the caller decides where it goes.
/// </summary>
/// <remarks>
/// A cell reads "mean ± std (n=seeds)", accuracies in percent with two decimals. A setting with a published number
/// gets two more columns, the paper's number (with a footnote naming its source, † when it is not yet verified) and
/// Δ = ours − paper.
/// </remarks>
public static class ResultsTableText
{
    /// <summary>The formats <see cref="Format"/> writes.</summary>
    public static IReadOnlyList<string> Formats { get; } = new[] { "md", "csv", "html" };

    /// <summary>What the numbers are, printed under the table.</summary>
    public const string Legend = "mean ± sample std over seeds (n = seeds); accuracies and mIoU in %; Δ = ours − paper.";

    /// <summary>The table in <paramref name="format"/>: "md", "csv" or "html".</summary>
    public static string Format(ResultsTable table, string format) => format.ToLowerInvariant() switch
    {
        "md" => Markdown(table),
        "csv" => Csv(table),
        "html" => Html(table),
        _ => throw new ArgumentException($"Unknown table format '{format}'; use one of: {string.Join(", ", Formats)}.", nameof(format)),
    };

    /// <summary>A GitHub-flavoured Markdown table, with its caption, legend and sources.</summary>
    public static string Markdown(ResultsTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var text = new StringBuilder().Append("**").Append(Md(table.Layout.Title)).Append("**\n\n");
        var head = new List<string> { "Method" };
        var rule = new List<string> { "---" };
        foreach (var (column, c) in table.Columns.Select((column, c) => (column, c)))
        {
            head.Add(Md(column.Name));
            rule.Add("---:");
            if (!table.HasPaperNumbers(c)) continue;
            head.Add("paper");
            head.Add("Δ");
            rule.Add("---:");
            rule.Add("---:");
        }
        text.Append("| ").AppendJoin(" | ", head).Append(" |\n").Append("| ").AppendJoin(" | ", rule).Append(" |\n");
        for (int r = 0; r < table.Rows.Count; r++)
        {
            var line = new List<string> { Md(table.Rows[r].Name) };
            for (int c = 0; c < table.Columns.Count; c++)
            {
                var cell = table[r, c];
                line.Add(cell is null ? "—" : Summary(cell));
                if (!table.HasPaperNumbers(c)) continue;
                line.Add(cell?.Paper is { } paper ? $"{Paper(paper)} [{Footnote(table, paper)}]{(paper.Verified ? "" : "†")}" : "");
                line.Add(cell?.Delta is { } delta ? Signed(delta, cell.Percent) : "");
            }
            text.Append("| ").AppendJoin(" | ", line).Append(" |\n");
        }
        text.Append('\n').Append(Legend).Append('\n');
        foreach (var (note, i) in Footnotes(table).Select((n, i) => (n, i)))
            text.Append($"\n[{i + 1}] {Md(note)}");
        return table.PaperNumbersShown.Count > 0 ? text.Append('\n').ToString() : text.ToString();
    }

    /// <summary>
    /// CSV (RFC 4180, invariant culture, numbers to 12 significant digits): columns <c>row, method, model</c>, then per setting <c>mean, std, n</c> and,
    /// where a published number is known, <c>paper, delta, source</c>, each headed "&lt;setting&gt; &lt;field&gt;". A
    /// missing value is an empty field, as is the std of a single seed; a diverged run's NaN is written "NaN".
    /// </summary>
    public static string Csv(ResultsTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var head = new List<string> { "row", "method", "model" };
        for (int c = 0; c < table.Columns.Count; c++)
        {
            var name = table.Columns[c].Name;
            head.AddRange(new[] { $"{name} mean", $"{name} std", $"{name} n" });
            if (table.HasPaperNumbers(c)) head.AddRange(new[] { $"{name} paper", $"{name} delta", $"{name} source" });
        }
        var text = new StringBuilder().AppendJoin(',', head.Select(Field)).Append('\n');
        for (int r = 0; r < table.Rows.Count; r++)
        {
            var row = table.Rows[r];
            var line = new List<string> { row.Name, row.Method, row.Model ?? "" };
            for (int c = 0; c < table.Columns.Count; c++)
            {
                var cell = table[r, c];
                line.AddRange(cell is null ? new[] { "", "", "" } : new[] { Number(cell.Mean), cell.N < 2 ? "" : Number(cell.Std), cell.N.ToString(CultureInfo.InvariantCulture) });
                if (table.HasPaperNumbers(c))
                    line.AddRange(cell?.Paper is { } paper ? new[] { Number(paper.Value), Number(cell.Delta!.Value), paper.Source } : new[] { "", "", "" });
            }
            text.AppendJoin(',', line.Select(Field)).Append('\n');
        }
        return text.ToString();
    }

    /// <summary>An HTML fragment: the table with its caption, then the legend and the sources.</summary>
    public static string Html(ResultsTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var html = new StringBuilder("<table class=\"folk-results\">\n<caption>").Append(Encode(table.Layout.Title)).Append("</caption>\n<thead><tr><th>Method</th>");
        for (int c = 0; c < table.Columns.Count; c++)
        {
            html.Append("<th>").Append(Encode(table.Columns[c].Name)).Append("</th>");
            if (table.HasPaperNumbers(c)) html.Append("<th>paper</th><th>Δ</th>");
        }
        html.Append("</tr></thead>\n<tbody>\n");
        for (int r = 0; r < table.Rows.Count; r++)
        {
            html.Append("<tr><th scope=\"row\">").Append(Encode(table.Rows[r].Name)).Append("</th>");
            for (int c = 0; c < table.Columns.Count; c++)
            {
                var cell = table[r, c];
                html.Append("<td>").Append(cell is null ? "—" : Encode(Summary(cell))).Append("</td>");
                if (!table.HasPaperNumbers(c)) continue;
                html.Append("<td>");
                if (cell?.Paper is { } paper)
                    html.Append(Encode(Paper(paper))).Append($"<sup>[{Footnote(table, paper)}]{(paper.Verified ? "" : "†")}</sup>");
                html.Append("</td><td>").Append(cell?.Delta is { } delta ? Encode(Signed(delta, cell.Percent)) : "").Append("</td>");
            }
            html.Append("</tr>\n");
        }
        html.Append("</tbody>\n</table>\n<p>").Append(Encode(Legend)).Append("</p>\n");
        if (table.PaperNumbersShown.Count > 0)
        {
            html.Append("<ol class=\"folk-sources\">\n");
            foreach (var note in Footnotes(table))
                html.Append("<li>").Append(Encode(note)).Append("</li>\n");
            html.Append("</ol>\n");
        }
        return html.ToString();
    }

    /// <summary>"83.12 ± 0.15 (n=3)"; a single seed has no ±.</summary>
    public static string Summary(ResultsCell cell)
    {
        ArgumentNullException.ThrowIfNull(cell);
        var mean = Value(cell.Mean, cell.Percent);
        return cell.N < 2 ? $"{mean} (n=1)" : $"{mean} ± {Value(cell.Std, cell.Percent)} (n={cell.N})";
    }

    static string Value(double v, bool percent) => v.ToString(percent ? "F2" : "G4", CultureInfo.InvariantCulture);

    static string Signed(double v, bool percent)
    {
        var shown = Value(Math.Abs(v), percent);
        return (shown.All(ch => ch is '0' or '.') ? "±" : v > 0 ? "+" : "-") + shown;
    }

    static string Paper(PaperNumber paper) => paper.Value.ToString("0.0##", CultureInfo.InvariantCulture);

    /// <summary>A published number's footnote: its source and the epochs behind it; numbers that share one share it.</summary>
    static string Note(PaperNumber paper) =>
        $"{paper.Source}; {paper.PretrainEpochs} pre-training epochs{(paper.FineTuneEpochs is { } e ? $", {e} fine-tuning epochs" : "")}{(paper.Verified ? "" : " († not yet verified)")}";

    static List<string> Footnotes(ResultsTable table) => table.PaperNumbersShown.Select(Note).Distinct().ToList();

    static int Footnote(ResultsTable table, PaperNumber paper) => Footnotes(table).IndexOf(Note(paper)) + 1;

    static string Number(double v) => v.ToString("G12", CultureInfo.InvariantCulture);

    static string Field(string s) => s.IndexOfAny(new[] { ',', '"', '\n', '\r' }) >= 0 ? $"\"{s.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : s;

    static string Md(string s) => s.Replace("|", "\\|", StringComparison.Ordinal);

    static string Encode(string s) => WebUtility.HtmlEncode(s);
}
