using System.Diagnostics;
using System.Text.Json.Nodes;
using Folk.Lab.Kernel.Notebooks;

namespace Folk.Lab.Kernel.Execution;

/// <summary>A failed cell of a headless run.</summary>
/// <param name="Index">Cell index in the executed notebook (after the injected parameters cell).</param>
/// <param name="Source">The cell's code.</param>
/// <param name="Error">What went wrong.</param>
public sealed record NotebookFailure(int Index, string Source, CellError Error);

/// <summary>The executed notebook, per-cell results, and the failure that stopped the run, if any.</summary>
public sealed record NotebookExecution(Notebook Notebook, IReadOnlyList<CellResult> Cells, NotebookFailure? Failure);

/// <summary>
/// Executes a notebook in-process with the kernel's own <see cref="CellEngine"/>, so the outputs are those Jupyter
/// would store: code cells top to bottom, parameters injected papermill-style, outputs and execution counts written
/// into the notebook, and the run stopped at the first failing cell (whose error stays in the notebook).
/// </summary>
/// <remarks>While it runs, the process's current directory is <c>workingDirectory</c> (the notebook's folder), as a
/// Jupyter kernel's is, so that a notebook's relative paths (<c>"../data-manifests/…"</c>) mean the same headless and
/// in a front end; the previous directory is restored afterwards. Runs in one process are therefore sequential.</remarks>
public static class NotebookExecutor
{
    /// <summary>Runs <paramref name="notebook"/>; <paramref name="parameters"/> are C# expressions by variable name.</summary>
    public static async Task<NotebookExecution> ExecuteAsync(Notebook notebook, string workingDirectory,
        IReadOnlyDictionary<string, string>? parameters = null, TimeSpan? cellTimeout = null, CancellationToken cancellation = default)
    {
        if (parameters is { Count: > 0 })
        {
            var tagged = notebook.Cells.FirstOrDefault(c => c.Tags.Contains(NotebookParameters.ParametersTag));
            notebook.InsertCodeCell(tagged is null ? 0 : tagged.Index + 1, NotebookParameters.Cell(parameters), NotebookParameters.InjectedTag);
        }
        notebook.Metadata["language_info"] = Server.KernelInfo.LanguageInfo();
        Folk.Lab.Interactive.Charts.PlotlyPage.Reset(); // a new notebook is a new page: its first chart carries plotly.js
        var previousDirectory = Environment.CurrentDirectory;
        Environment.CurrentDirectory = workingDirectory;
        try { return await ExecuteCellsAsync(notebook, workingDirectory, cellTimeout, cancellation); }
        finally { Environment.CurrentDirectory = previousDirectory; }
    }

    static async Task<NotebookExecution> ExecuteCellsAsync(Notebook notebook, string workingDirectory, TimeSpan? cellTimeout, CancellationToken cancellation)
    {
        using var engine = new CellEngine(workingDirectory);
        var displays = new Dictionary<string, List<JsonObject>>();
        var results = new List<CellResult>();
        int count = 0;
        foreach (var cell in notebook.Cells.Where(c => c.Kind == "code"))
        {
            var output = new NotebookCellOutput(displays);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
            if (cellTimeout is { } t) timeout.CancelAfter(t);
            var watch = Stopwatch.StartNew();
            var outcome = await engine.ExecuteAsync(cell.Source, output, timeout.Token, language: cell.Language ?? notebook.DefaultCellLanguage);
            count++;
            var error = outcome.Error;
            if (error == CellError.Interrupted && !cancellation.IsCancellationRequested && cellTimeout is { } limit)
                error = new CellError("TimeoutException", $"The cell ran longer than {limit.TotalSeconds:g} s (--timeout).", [$"TimeoutException: the cell ran longer than {limit.TotalSeconds:g} s (--timeout)."]);
            if (outcome.Result is { } result) output.Result(result, count);
            if (error is not null) output.Error(error);
            cell.SetOutputs(output.Outputs, count);
            results.Add(new CellResult(cell.Index, outcome.Result, watch.Elapsed));
            if (error is not null) return new NotebookExecution(notebook, results, new NotebookFailure(cell.Index, cell.Source, error));
        }
        return new NotebookExecution(notebook, results, null);
    }
}
