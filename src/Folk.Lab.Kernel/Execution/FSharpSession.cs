using FSharp.Compiler.Diagnostics;
using FSharp.Compiler.Interactive;
using Microsoft.FSharp.Core;

namespace Folk.Lab.Kernel.Execution;

/// <summary>A failed F# cell's compile errors, each "(line,column): error FS0001: message" with both counted from 1.</summary>
public sealed class FSharpCompilationException(IReadOnlyList<string> errors) : Exception(string.Join("; ", errors))
{
    /// <summary>One line per error.</summary>
    public IReadOnlyList<string> Errors { get; } = errors;
}

/// <summary>
/// F# cells, evaluated in this process by FSharp.Compiler.Service's interactive session with their state carried
/// over, as in <c>dotnet fsi</c>: a cell's <c>let</c> bindings, types and <c>open</c>s are visible to the next.
/// Folk.Lab, Folk.Lab.Interactive and TorchSharp are referenced and <c>TorchSharp</c> is open; <c>display</c>,
/// <c>input</c> and <c>password</c> are the C# cells' functions, and <c>Cell</c> is their <see cref="CellContext"/>
/// (<c>Cell.Cancellation</c>).
/// </summary>
/// <remarks>
/// The session compiles against the running runtime's own assemblies (<c>--usesdkrefs-</c>), not the SDK's reference
/// assemblies: values bound from C# have runtime types, and against reference assemblies F# saw <c>System.Int32</c> of
/// a C# <c>int[]</c> as a type without <c>+</c> (<c>Array.sum</c> failed to type-check). Starting the session costs
/// seconds (the compiler loads), so the kernel starts it with the first F# cell.
/// </remarks>
public sealed class FSharpSession : IDisposable
{
    readonly Shell.FsiEvaluationSession _fsi;
    readonly StringWriter _echo = new(), _errors = new();

    FSharpSession(CellContext context)
    {
        var references = new[]
        {
            typeof(TorchSharp.torch).Assembly, typeof(Folk.Lab.Frequency.Spectrum).Assembly,
            typeof(Folk.Lab.Interactive.Rendering.RgbImage).Assembly, typeof(CellContext).Assembly,
            typeof(Microsoft.DotNet.Interactive.Formatting.Formatter).Assembly, typeof(Microsoft.Data.Analysis.DataFrame).Assembly,
        }.Select(a => $"-r:{a.Location}");
        string[] arguments = ["fsi", "--noninteractive", "--nologo", "--multiemit-", "--targetprofile:netcore", "--usesdkrefs-", .. references];
        _fsi = Shell.FsiEvaluationSession.Create(Shell.FsiEvaluationSession.GetDefaultConfiguration(), arguments,
            TextReader.Null, _echo, _errors, collectible: false, legacyReferenceResolver: null);
        _fsi.AddBoundValue("Cell", context);
        Run("""
            open TorchSharp
            let display (value: obj) = Cell.display value
            let input (prompt: string) = Cell.input prompt
            let password (prompt: string) = Cell.password prompt
            """);
    }

    /// <summary>Starts a session whose cells see <paramref name="context"/>.</summary>
    public static FSharpSession Start(CellContext context) => new(context);

    /// <summary>
    /// Runs one cell and returns the value of its last expression (null for unit or a declaration).
    /// </summary>
    /// <exception cref="FSharpCompilationException">The cell does not compile.</exception>
    public object? Run(string code, CancellationToken cancellation = default)
    {
        _echo.GetStringBuilder().Clear(); // the session's own "val x: int = 3" echo: cells show values through formatters
        var (result, diagnostics) = _fsi.EvalInteractionNonThrowing(code, cancellation);
        var errors = diagnostics.Where(d => d.Severity == FSharpDiagnosticSeverity.Error)
            .Select(d => $"({d.Range.StartLine},{d.Range.StartColumn + 1}): error {d.ErrorNumberText}: {OneLine(d.Message)}").ToList();
        if (errors.Count > 0) throw new FSharpCompilationException(errors); // a parse error comes back as "no value"
        if (result is FSharpChoice<FSharpOption<Shell.FsiValue>, Exception>.Choice2Of2 { Item: var e })
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(Unwrapped(e)); // with the cell's own frames
        var value = ((FSharpChoice<FSharpOption<Shell.FsiValue>?, Exception>.Choice1Of2)result).Item?.Value;
        return value is not null && value.ReflectionType != typeof(Unit) ? value.ReflectionValue : null;
    }

    /// <summary>Adds assemblies (e.g. restored packages) to every later cell, as <c>#r</c> would.</summary>
    public void AddReferences(IEnumerable<string> paths) =>
        Run(string.Join('\n', paths.Select(p => $"#r @\"{p.Replace("\"", "\"\"")}\"")));

    /// <summary>F#'s messages spread their types over indented lines ("expected to have type\n    'int'"): one line each.</summary>
    static string OneLine(string message) => string.Join(' ', message.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    static Exception Unwrapped(Exception e) =>
        e is System.Reflection.TargetInvocationException { InnerException: { } inner } ? inner : e;

    /// <summary>Whether earlier cells bound a value <paramref name="name"/>.</summary>
    public bool HasVariable(string name) => _fsi.TryFindBoundValue(name) is not null;

    /// <summary>The value bound to <paramref name="name"/> by earlier cells (the object itself).</summary>
    public object? Variable(string name) => _fsi.TryFindBoundValue(name)?.Value.Value.ReflectionValue;

    /// <summary>Binds <paramref name="name"/> to <paramref name="value"/> (the object itself, with its runtime type) for
    /// later cells: what <c>#!share</c> does in an F# cell.</summary>
    public void Define(string name, object? value)
    {
        if (value is null) Run($"let {name} : obj = null");
        else _fsi.AddBoundValue(name, value);
    }

    /// <summary>Releases the session.</summary>
    public void Dispose()
    {
        ((IDisposable)_fsi).Dispose();
        _echo.Dispose();
        _errors.Dispose();
    }
}
