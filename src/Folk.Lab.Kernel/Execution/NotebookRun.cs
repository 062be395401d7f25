using Folk.Lab.Kernel.Display;
using Folk.Lab.Kernel.Notebooks;

namespace Folk.Lab.Kernel.Execution;

/// <summary>How one code cell went.</summary>
/// <param name="Index">Cell index in the notebook.</param>
/// <param name="Value">The MIME bundle of the cell's last expression, if any.</param>
/// <param name="Elapsed">Wall time of the cell.</param>
public sealed record CellResult(int Index, MimeBundle? Value, TimeSpan Elapsed);

/// <summary>A cell that failed: which one, and why.</summary>
public sealed class NotebookCellException(string notebook, int index, string source, CellError error)
    : Exception($"{notebook}, cell {index}: {error.Name}: {error.Value}\n{string.Join('\n', error.Traceback.Skip(1))}\n--- cell source ---\n{source}")
{
    /// <summary>Index of the failing cell.</summary>
    public int CellIndex { get; } = index;

    /// <summary>The error as Jupyter shows it.</summary>
    public CellError Error { get; } = error;
}

/// <summary>
/// Runs a notebook file's code cells top to bottom (see <see cref="NotebookExecutor"/>) and throws
/// <see cref="NotebookCellException"/> at the first failing cell: the form tests use.
/// </summary>
public static class NotebookRun
{
    /// <summary>Runs <paramref name="path"/>; <paramref name="parameters"/> are C# expressions by variable name.</summary>
    public static async Task<IReadOnlyList<CellResult>> RunAsync(string path, IReadOnlyDictionary<string, string>? parameters = null,
        CancellationToken cancellation = default)
    {
        var execution = await NotebookExecutor.ExecuteAsync(Notebook.Load(path), Path.GetDirectoryName(Path.GetFullPath(path))!,
            parameters, cancellation: cancellation);
        if (execution.Failure is { } failure) throw new NotebookCellException(path, failure.Index, failure.Source, failure.Error);
        return execution.Cells;
    }
}
