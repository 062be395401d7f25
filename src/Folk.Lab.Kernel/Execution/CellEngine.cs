using System.Diagnostics;
using Folk.Lab.Kernel.Display;

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
/// output, display, the value's MIME bundle, errors, and interrupts. One cell at a time.
/// </summary>
public sealed class CellEngine(string? workingDirectory = null)
{
    /// <summary>How long an interrupted cell may take to notice <see cref="CellContext.Cancellation"/> before it is abandoned.</summary>
    public static readonly TimeSpan InterruptGrace = TimeSpan.FromSeconds(1);

    readonly PackageRestorer _packages = new();

    /// <summary>The session holding the cells' state.</summary>
    public CSharpSession Session { get; } = new(workingDirectory);

    /// <summary>
    /// Runs <paramref name="code"/>, sending its streams and displays to <paramref name="output"/> while it runs.
    /// Cancelling <paramref name="interrupt"/> cancels <c>Cancellation</c> in the cell; a cell that ignores it is
    /// abandoned after <see cref="InterruptGrace"/> (it cannot be killed) and reported as interrupted.
    /// </summary>
    public async Task<CellOutcome> ExecuteAsync(string code, ICellOutput output, CancellationToken interrupt = default)
    {
        var watch = Stopwatch.StartNew();
        var directives = CellDirectives.Parse(code);
        var context = Session.Context;
        context.Output = output;
        context.Cancellation = interrupt;
        using (OutputCapture.Begin(output))
        {
            try
            {
                if (directives.Packages.Count > 0)
                    Session.AddReferences(await _packages.RestoreAsync(directives.Packages, directives.Sources, interrupt));
                var run = Task.Run(() => Session.RunAsync(directives.Code, interrupt), CancellationToken.None);
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
}
