using Folk.Lab.Kernel.Display;

namespace Folk.Lab.Kernel.Execution;

/// <summary>
/// The globals every cell sees: <c>display(value)</c> and <c>Cancellation</c>. Pass <c>Cancellation</c> to long
/// loops (e.g. <c>trainer.Run(Cancellation)</c>) so an interrupt from the front end stops them.
/// </summary>
public sealed class CellContext
{
    internal ICellOutput? Output { get; set; }

    int _displays;

    /// <summary>Cancelled when the user interrupts the running cell.</summary>
    public CancellationToken Cancellation { get; internal set; }

    /// <summary>
    /// Shows <paramref name="value"/> now, in the richest form a registered formatter gives, and returns a handle whose
    /// <see cref="DisplayHandle.Update"/> replaces it in place.
    /// </summary>
#pragma warning disable IDE1006 // lower case on purpose: the name notebooks use (IPython, .NET Interactive)
    public DisplayHandle display(object? value)
#pragma warning restore IDE1006
    {
        var output = Output ?? throw new InvalidOperationException("display() can only be called while a cell runs.");
        OutputCapture.Flush(); // text printed before the display stays before it
        var id = $"{Environment.ProcessId:x}-{Interlocked.Increment(ref _displays)}-{Guid.NewGuid():N}"[..24];
        output.Display(DisplayFormatting.BundleFor(value), id);
        return new DisplayHandle(id, (bundle, displayId) =>
        {
            OutputCapture.Flush();
            (Output ?? output).UpdateDisplay(bundle, displayId);
        });
    }
}
