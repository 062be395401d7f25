using System.CommandLine;
using Folk.Lab.Kernel.Execution;
using Folk.Lab.Kernel.Export;
using Folk.Lab.Kernel.Notebooks;

namespace Folk.Lab.Cli.Commands;

/// <summary><c>folk-lab notebook run</c>: executes a C# notebook headless with the kernel's engine.</summary>
internal static class NotebookCommand
{
    public static Command Create(CliConsole console) => new("notebook", "C# notebooks without a Jupyter server.") { Run(console), Export(console) };

    static Command Export(CliConsole console)
    {
        var path = new Argument<FileInfo>("notebook") { Description = "An executed .ipynb (e.g. from `notebook run --out`)" };
        var html = new Option<FileInfo>("--html") { Description = "Where to write the page (default: beside the notebook, .html)" };
        var command = new Command("export", "Write an executed notebook as one self-contained HTML page (every output; charts interactive, offline).")
        {
            path, html,
        };
        command.SetAction(p =>
        {
            var file = p.GetValue(path)!;
            if (!file.Exists) throw new FileNotFoundException($"{file.FullName}: notebook not found.", file.FullName);
            var exporter = new HtmlExporter();
            var target = p.GetValue(html)?.FullName ?? Path.ChangeExtension(file.FullName, exporter.Extension);
            exporter.Export(Notebook.Load(file.FullName), target);
            console.Out.WriteLine($"wrote {target}");
            return 0;
        });
        return command;
    }

    static Command Run(CliConsole console)
    {
        var path = new Argument<FileInfo>("notebook") { Description = "The .ipynb file to execute" };
        var parameters = new Option<string[]>("--parameter", "-p")
        {
            Description = "name=value for the cell tagged 'parameters' (repeatable; numbers and true/false stay typed, other values become strings)",
            AllowMultipleArgumentsPerToken = false,
        };
        var output = new Option<FileInfo>("--out") { Description = "Write the executed notebook here (also when a cell fails)" };
        var html = new Option<FileInfo>("--html") { Description = "Write a self-contained HTML report here" };
        var timeout = Options.Number("--timeout", "Seconds one cell may run before the run fails (default: no limit)", 0, 0, false);
        var command = new Command("run", "Execute a notebook's code cells in order (papermill-style parameters); exit 1 at the first failing cell.")
        {
            path, parameters, output, html, timeout,
        };
        command.SetAction(async (p, cancellation) =>
        {
            var file = p.GetValue(path)!;
            if (!file.Exists) throw new FileNotFoundException($"{file.FullName}: notebook not found.", file.FullName);
            var values = (p.GetValue(parameters) ?? []).Select(NotebookParameters.Parse).ToDictionary();
            var limit = p.GetValue(timeout) is > 0 and var s ? TimeSpan.FromSeconds(s) : (TimeSpan?)null;
            var execution = await NotebookExecutor.ExecuteAsync(Notebook.Load(file.FullName), file.DirectoryName!, values, limit, cancellation);
            if (p.GetValue(output) is { } outFile)
            {
                execution.Notebook.Save(outFile.FullName);
                console.Out.WriteLine($"wrote {outFile.FullName}");
            }
            if (p.GetValue(html) is { } htmlFile)
            {
                new HtmlExporter().Export(execution.Notebook, htmlFile.FullName);
                console.Out.WriteLine($"wrote {htmlFile.FullName}");
            }
            var elapsed = execution.Cells.Sum(c => c.Elapsed.TotalSeconds);
            if (execution.Failure is { } failure)
            {
                console.Error.WriteLine($"{file.Name}: cell {failure.Index} failed: {failure.Error.Name}: {failure.Error.Value}");
                foreach (var line in failure.Error.Traceback.Skip(1)) console.Error.WriteLine(line);
                return 1;
            }
            console.Out.WriteLine($"{file.Name}: {execution.Cells.Count} code cells ran in {elapsed:F1} s");
            return 0;
        });
        return command;
    }
}
