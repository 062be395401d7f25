using Folk.Lab.Kernel.Display;

namespace Folk.Lab.Kernel.Execution;

/// <summary>
/// The globals every cell sees: <c>display(value)</c>, <c>input(prompt)</c>, <c>password(prompt)</c> and
/// <c>Cancellation</c>. Pass <c>Cancellation</c> to long loops (e.g. <c>trainer.Run(Cancellation)</c>) so an interrupt
/// from the front end stops them.
/// </summary>
public sealed class CellContext
{
    internal ICellOutput? Output { get; set; }

    int _displays;

    /// <summary>Values that <c>#!share</c> is binding to C# variables, for the moment it binds them; not for cells.</summary>
    [System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
    public Dictionary<string, object?> Incoming { get; } = [];

    /// <summary>Cancelled when the user interrupts the running cell.</summary>
    public CancellationToken Cancellation { get; internal set; }

    /// <summary>
    /// Shows <paramref name="value"/> now, in the richest form a registered formatter gives, and returns a handle whose
    /// <see cref="DisplayHandle.Update"/> replaces it in place.
    /// </summary>
#pragma warning disable IDE1006 // lower case on purpose: the name notebooks use (IPython, .NET Interactive)
    public DisplayHandle display(object? value)
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

    /// <summary>Asks the front end for a line after <paramref name="prompt"/> and returns it (ipykernel's
    /// <c>input()</c>); <c>Console.ReadLine()</c> asks the same way, without a prompt.</summary>
    /// <exception cref="InvalidOperationException">The cell has no input: a headless run, or a front end that does
    /// not allow stdin.</exception>
    public string input(string prompt = "") => Ask(prompt, password: false);

    /// <summary>As <see cref="input"/>, but the front end does not echo what is typed (ipykernel's <c>getpass</c>).</summary>
    public string password(string prompt = "Password: ") => Ask(prompt, password: true);
#pragma warning restore IDE1006

    static string Ask(string prompt, bool password)
    {
        OutputCapture.Flush(); // what the cell printed before the question shows before it
        var (input, cancellation) = InputCapture.Current ?? throw new InvalidOperationException(
            "This cell cannot ask for input: the notebook runs headless, or its front end does not allow stdin (allow_stdin is false). Set the value in a parameter cell instead.");
        return input.ReadLine(prompt, password, cancellation);
    }
}
