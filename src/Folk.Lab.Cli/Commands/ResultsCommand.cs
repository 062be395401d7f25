using System.CommandLine;
using Folk.Lab.Evaluation;

namespace Folk.Lab.Cli.Commands;

/// <summary><c>folk-lab results</c>: evaluations' result.json files merged into paper-shaped tables.</summary>
internal static class ResultsCommand
{
    public static Command Create(CliConsole console) => new("results", "Evaluation results (result.json in each run folder).")
    {
        Table(console),
    };

    static Command Table(CliConsole console)
    {
        var runs = new Argument<string[]>("run-folders")
        {
            Description = "Evaluation run folders (each with a result.json), or folders holding them one level down",
            Arity = ArgumentArity.OneOrMore,
        };
        var paper = Options.Choice("--paper", "Lay the table out as this paper's: its row order and column names (mfm-robustness: MFM's Table 4)", null, "mfm", "folk", "mfm-robustness");
        paper.Required = false;
        var format = Options.Choice("--format", "Output format", "md", ResultsTableText.Formats.ToArray());
        var output = new Option<FileInfo>("--out") { Description = "Write the table to this file (atomically) instead of the console" };
        var command = new Command("table",
            "Merge run folders into one table: a row per encoder method, a column per setting, mean ± std over seeds, " +
            "and the published number with its source and the difference where one is known.")
        {
            runs, paper, format, output,
        };
        command.SetAction(p =>
        {
            var found = ResultFiles.Find(p.GetValue(runs)!);
            foreach (var folder in found.FoldersWithout)
                console.Error.WriteLine($"results table: {folder}: no {EvaluationResult.FileName}, left out");
            var layout = p.GetValue(paper) is { } name ? PaperLayout.Of(name) : null;
            var table = ResultsTable.Build(found.Files.Select(EvaluationResult.Read), layout);
            var text = ResultsTableText.Format(table, p.GetValue(format)!);
            if (p.GetValue(output) is { } file)
            {
                Folk.Lab.IO.AtomicFile.WriteAllText(file.FullName, text);
                console.Out.WriteLine($"{file.FullName}: {table.Rows.Count} row(s) × {table.Columns.Count} setting(s) from {found.Files.Count} result(s)");
            }
            else console.Out.Write(text);
            return 0;
        });
        return command;
    }
}
