using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Scripting;

namespace Folk.Lab.Kernel.Execution;

/// <summary>
/// A failed cell as Jupyter shows it: <c>ename</c>, <c>evalue</c> and <c>traceback</c> lines. Compile errors give the
/// cell's line and column per diagnostic; runtime exceptions give type, message and the stack without the scripting
/// engine's own frames.
/// </summary>
/// <param name="Name">The exception type name, or "CompilationError".</param>
/// <param name="Value">The message.</param>
/// <param name="Traceback">Lines to show.</param>
public sealed partial record CellError(string Name, string Value, IReadOnlyList<string> Traceback)
{
    /// <summary>The error of a cell that was interrupted.</summary>
    public static CellError Interrupted { get; } =
        new("OperationCanceledException", "The cell was interrupted.", ["OperationCanceledException: The cell was interrupted."]);

    /// <summary>The error for <paramref name="exception"/> thrown by a cell.</summary>
    public static CellError From(Exception exception)
    {
        if (exception is System.Reflection.TargetInvocationException { InnerException: { } inner }) exception = inner;
        if (exception is AggregateException { InnerExceptions.Count: 1 } aggregate) exception = aggregate.InnerExceptions[0];
        if (exception is CompilationErrorException compile)
        {
            var errors = compile.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
            var lines = errors.Select(Describe).ToList();
            return new CellError("CompilationError", string.Join("; ", lines), lines);
        }
        if (exception is FSharpCompilationException fsharp)
            return new CellError("CompilationError", fsharp.Message, fsharp.Errors);
        if (exception is Languages.PythonKernelException or Languages.ValueSharingException or CellDirectiveException)
            return new CellError(exception.GetType().Name, exception.Message, [$"{exception.GetType().Name}: {exception.Message}"]);
        if (exception is PackageRestoreException restore) // the kernel's own stack says nothing about the package
            return new CellError("PackageRestoreError", restore.Message, [$"PackageRestoreError: {restore.Message}", .. restore.Errors.Select(e => "   " + e)]);
        var traceback = new List<string> { $"{exception.GetType().FullName}: {exception.Message}" };
        traceback.AddRange(TrimmedStack(exception));
        for (var e = exception.InnerException; e is not null; e = e.InnerException)
            traceback.Add($" ---> {e.GetType().FullName}: {e.Message}");
        return new CellError(exception.GetType().Name, exception.Message, traceback);
    }

    /// <summary>"(line,column): error CS0103: message", with line and column counted from 1 in the cell.</summary>
    static string Describe(Diagnostic d)
    {
        var span = d.Location.GetLineSpan();
        var where = d.Location.IsInSource ? $"({span.StartLinePosition.Line + 1},{span.StartLinePosition.Character + 1}): " : "";
        return $"{where}error {d.Id}: {d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}";
    }

    /// <summary>The stack from the innermost frame up to the cell's own frame: what called the cell (the scripting
    /// engine, reflection, the kernel) is left out, and so are the compiler's async plumbing frames.</summary>
    static IEnumerable<string> TrimmedStack(Exception e)
    {
        var frames = (e.StackTrace ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .TakeWhile(line => !line.Contains("Microsoft.CodeAnalysis.Scripting", StringComparison.Ordinal))
            .Where(line => !line.StartsWith("--- End of stack trace", StringComparison.Ordinal)
                           && !line.Contains("System.Runtime.CompilerServices", StringComparison.Ordinal)
                           && !line.Contains("System.Runtime.ExceptionServices", StringComparison.Ordinal))
            .ToList();
        var cell = frames.FindIndex(line => CellFrame().IsMatch(line));
        return frames.Take(cell < 0 ? frames.Count : cell + 1).Select(line => "   " + CellFrame().Replace(line, "at <cell>"));
    }

    /// <summary>Roslyn names a cell's code Submission#N.&lt;&lt;Initialize&gt;&gt;…, F# interactive
    /// &lt;StartupCode$FSI_N&gt;.$FSI_N.main@(); N counts submissions, not cells.</summary>
    [System.Text.RegularExpressions.GeneratedRegex(@"at (Submission#\d+\.<<Initialize>>d__\d+\.MoveNext|<StartupCode\$FSI_\d+>\.\$FSI_\d+\.main@)\(\)")]
    private static partial System.Text.RegularExpressions.Regex CellFrame();
}
