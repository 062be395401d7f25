using Folk.Lab.Kernel.Notebooks;

namespace Folk.Lab.Kernel.Execution;

/// <summary>How one code cell went.</summary>
/// <param name="Index">Cell index in the notebook.</param>
/// <param name="Value">The cell's last expression, if any.</param>
/// <param name="Elapsed">Wall time of the cell.</param>
public sealed record CellResult(int Index, object? Value, TimeSpan Elapsed);

/// <summary>A cell that failed: which one, and why.</summary>
public sealed class NotebookCellException(string notebook, int index, string source, Exception inner)
    : Exception($"{notebook}, cell {index}: {inner.GetType().Name}: {inner.Message}\n--- cell source ---\n{source}", inner)
{
    /// <summary>Index of the failing cell.</summary>
    public int CellIndex { get; } = index;
}

/// <summary>
/// Runs a notebook's code cells top to bottom in one <see cref="CSharpSession"/>, papermill-style: values given as
/// parameters are assigned in an extra cell right after the cell tagged <c>parameters</c>. Stops at the first failing
/// cell.
/// </summary>
public static class NotebookRun
{
    /// <summary>Runs <paramref name="path"/>; <paramref name="parameters"/> are C# expressions by variable name.</summary>
    public static async Task<IReadOnlyList<CellResult>> RunAsync(string path, IReadOnlyDictionary<string, string>? parameters = null,
        CancellationToken cancellation = default)
    {
        var notebook = Notebook.Load(path);
        var session = new CSharpSession(Path.GetDirectoryName(Path.GetFullPath(path)));
        var results = new List<CellResult>();
        foreach (var cell in notebook.Cells.Where(c => c.Kind == "code"))
        {
            await Run(cell.Index, cell.Source);
            if (cell.Tags.Contains("parameters") && parameters is { Count: > 0 })
                await Run(cell.Index, string.Join('\n', parameters.Select(p => $"{p.Key} = {p.Value};")));
        }
        return results;

        async Task Run(int index, string source)
        {
            var watch = System.Diagnostics.Stopwatch.StartNew();
            try
            {
                var value = await session.RunAsync(source, cancellation);
                results.Add(new CellResult(index, value, watch.Elapsed));
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                throw new NotebookCellException(path, index, source, e is System.Reflection.TargetInvocationException { InnerException: { } inner } ? inner : e);
            }
        }
    }
}
