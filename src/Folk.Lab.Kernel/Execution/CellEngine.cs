using System.Diagnostics;
using Folk.Lab.Kernel.Display;
using Folk.Lab.Kernel.Languages;

namespace Folk.Lab.Kernel.Execution;

/// <summary>How a cell ended: its value (when it has one worth showing) or its error.</summary>
/// <param name="Result">The formatted value of the last expression, or null.</param>
/// <param name="Error">Why it failed, or null.</param>
/// <param name="Elapsed">Wall time.</param>
public sealed record CellOutcome(MimeBundle? Result, CellError? Error, TimeSpan Elapsed)
{
    /// <summary>True when the cell raised no error.</summary>
    public bool Succeeded => Error is null;
}

/// <summary>
/// Runs cells for both the Jupyter kernel and headless notebook runs: directives, captured and streamed console
/// output, console input, display, the value's MIME bundle, errors, and interrupts. One cell at a time. C# cells run in
/// <see cref="Session"/>; <c>#!fsharp</c> cells in an F# session in this process, and <c>#!python</c> cells in a Python
/// kernel, each started by the first cell of its language (<see cref="FSharpSession"/>, <see cref="PythonKernel"/>);
/// <c>#!share</c> moves values between them: the object itself between C# and F#, a copy to and from Python
/// (<see cref="SharedValue"/>).
/// </summary>
/// <param name="workingDirectory">Where cells resolve relative paths (and the Python kernel starts).</param>
/// <param name="python">The Python of Python cells (null: <see cref="PythonLocator.Find"/>).</param>
public sealed class CellEngine(string? workingDirectory = null, string? python = null) : IDisposable
{
    /// <summary>How long an interrupted cell may take to notice <see cref="CellContext.Cancellation"/> before it is abandoned.</summary>
    public static readonly TimeSpan InterruptGrace = TimeSpan.FromSeconds(1);

    readonly PackageRestorer _packages = new();

    PythonKernel? _python;
    FSharpSession? _fsharp;

    /// <summary>The session holding the cells' state.</summary>
    public CSharpSession Session { get; } = new(workingDirectory);

    /// <summary>
    /// Runs <paramref name="code"/>, sending its streams and displays to <paramref name="output"/> while it runs.
    /// Cancelling <paramref name="interrupt"/> cancels <c>Cancellation</c> in the cell; a cell that ignores it is
    /// abandoned after <see cref="InterruptGrace"/> (it cannot be killed) and reported as interrupted. Console input
    /// and <c>input()</c> come from <paramref name="input"/> (null: none, end-of-file). <paramref name="language"/> is the
    /// cell's language when no <c>#!</c> selector names one (a Polyglot notebook's cell metadata); null: C#.
    /// </summary>
    public async Task<CellOutcome> ExecuteAsync(string code, ICellOutput output, CancellationToken interrupt = default, ICellInput? input = null, string? language = null)
    {
        var watch = Stopwatch.StartNew();
        var directives = CellDirectives.Parse(code, language);
        var context = Session.Context;
        context.Output = output;
        context.Cancellation = interrupt;
        using (OutputCapture.Begin(output))
        using (InputCapture.Begin(input, interrupt))
        {
            try
            {
                if (directives.Error is { } directiveError) throw new CellDirectiveException(directiveError);
                foreach (var share in directives.Shares) await ShareAsync(share, directives.Language, interrupt).ConfigureAwait(false);
                if (directives.Language == "python")
                {
                    var python = await Task.Run(() => StartPython(interrupt), CancellationToken.None).ConfigureAwait(false);
                    var (pythonResult, pythonError) = await Task.Run(() => python.Execute(directives.Code, output, input, interrupt), CancellationToken.None).ConfigureAwait(false);
                    if (directives.Time) Console.Out.WriteLine($"Wall time: {watch.Elapsed.TotalMilliseconds:F1} ms");
                    return new CellOutcome(pythonResult, pythonError, watch.Elapsed);
                }
                if (directives.Language is not ("csharp" or "fsharp"))
                    throw new CellDirectiveException($"{directives.Language} cells are not supported by this kernel; it runs C# (#!csharp), F# (#!fsharp) and Python (#!python).");
                if (directives.Packages.Count > 0)
                {
                    var restored = await _packages.RestoreAsync(directives.Packages, directives.Sources, interrupt).ConfigureAwait(false);
                    if (directives.Language == "csharp") Session.AddReferences(restored);
                    else await Task.Run(() => StartFSharp().AddReferences(restored), CancellationToken.None).ConfigureAwait(false);
                }
                var run = directives.Language == "csharp"
                    ? Task.Run(() => Session.RunAsync(directives.Code, interrupt), CancellationToken.None)
                    : Task.Run(() => StartFSharp().Run(directives.Code, interrupt), CancellationToken.None);
                var finished = await Task.WhenAny(run, Task.Delay(Timeout.Infinite, interrupt)).ConfigureAwait(false);
                if (finished != run && await Task.WhenAny(run, Task.Delay(InterruptGrace)).ConfigureAwait(false) != run)
                    return new CellOutcome(null, CellError.Interrupted, watch.Elapsed);
                var value = await run.ConfigureAwait(false);
                if (directives.Time) Console.Out.WriteLine($"Wall time: {watch.Elapsed.TotalMilliseconds:F1} ms");
                var result = value is null or DisplayHandle ? null : DisplayFormatting.BundleFor(value);
                return new CellOutcome(result, null, watch.Elapsed);
            }
            catch (OperationCanceledException) when (interrupt.IsCancellationRequested)
            {
                return new CellOutcome(null, CellError.Interrupted, watch.Elapsed);
            }
            catch (Exception e)
            {
                return new CellOutcome(null, CellError.From(e), watch.Elapsed);
            }
            finally
            {
                context.Output = null;
            }
        }
    }

    PythonKernel StartPython(CancellationToken cancellation) => _python ??= PythonKernel.Start(python, workingDirectory, cancellation);

    FSharpSession StartFSharp()
    {
        if (_fsharp is not null) return _fsharp;
        _fsharp = FSharpSession.Start(Session.Context);
        OutputCapture.EnsureInstalled();                    // in case starting F# Interactive replaced the console's writers
        return _fsharp;
    }

    /// <summary>Brings one value into the cell's language (<c>#!share</c>): the object itself between C# and F#, through
    /// <see cref="SharedValue"/> to and from Python.</summary>
    async Task ShareAsync(ShareDirective share, string language, CancellationToken cancellation)
    {
        if (share.From is null)
            throw new ValueSharingException($"#!share {share.Name}: say which language holds it, e.g. #!share --from python {share.Name}.");
        if (share.From == language)
            throw new ValueSharingException($"#!share --from {share.From} {share.Name}: the cell is {language} already.");
        object? dotnet = null;
        SharedValue? crossing = null;
        switch (share.From)
        {
            case "csharp":
                dotnet = Session.HasVariable(share.Name) ? Session.Variable(share.Name)
                    : throw new ValueSharingException($"#!share --from csharp {share.Name}: no C# variable is named '{share.Name}'.");
                break;
            case "fsharp":
                var fsharp = await Task.Run(StartFSharp, CancellationToken.None).ConfigureAwait(false);
                dotnet = fsharp.HasVariable(share.Name) ? fsharp.Variable(share.Name)
                    : throw new ValueSharingException($"#!share --from fsharp {share.Name}: no F# value is named '{share.Name}'.");
                break;
            case "python":
                crossing = await Task.Run(() => StartPython(cancellation).Export(share.Name), CancellationToken.None).ConfigureAwait(false);
                break;
            default:
                throw new ValueSharingException($"#!share --from {share.From}: unknown language; use csharp, fsharp or python.");
        }
        if (language == "python")
        {
            var value = crossing ?? SharedValue.FromDotNet(share.Name, dotnet);
            await Task.Run(() => StartPython(cancellation).Import(share.Target, value), CancellationToken.None).ConfigureAwait(false);
            return;
        }
        if (crossing is not null) dotnet = crossing.ToDotNet();
        if (language == "csharp") await Session.DefineAsync(share.Target, dotnet, cancellation).ConfigureAwait(false);
        else await Task.Run(() => StartFSharp().Define(share.Target, dotnet), CancellationToken.None).ConfigureAwait(false);
    }

    /// <summary>Shuts the Python kernel down and releases the F# session, if they were started.</summary>
    public void Dispose()
    {
        _python?.Dispose();
        _python = null;
        _fsharp?.Dispose();
        _fsharp = null;
    }
}
