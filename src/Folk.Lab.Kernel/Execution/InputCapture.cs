namespace Folk.Lab.Kernel.Execution;

/// <summary>
/// Routes <see cref="Console.In"/> to the running cell's <see cref="ICellInput"/>: <c>Console.ReadLine()</c> in a cell
/// asks the front end for a line (and waits, interruptibly), as <c>input()</c> does in ipykernel. With no input
/// (a headless run, <c>allow_stdin</c> false, or outside a cell) the console reads end-of-file: <c>ReadLine</c>
/// returns null at once instead of hanging.
/// </summary>
/// <remarks>Which cell a read belongs to is decided as for output (<see cref="CellScoped{T}"/>): the cell whose flow
/// reads, else the newest running one.</remarks>
public static class InputCapture
{
    static readonly object Gate = new();
    static readonly CellScoped<CellInputSource> Cells = new();
    static bool _installed;

    /// <summary>Routes console input to <paramref name="input"/> (null: end-of-file) until the returned scope is disposed.</summary>
    public static IDisposable Begin(ICellInput? input, CancellationToken cancellation)
    {
        lock (Gate)
        {
            if (!_installed)
            {
                Console.SetIn(TextReader.Synchronized(new CellReader()));
                _installed = true;
            }
        }
        return Cells.Enter(new CellInputSource(input, cancellation));
    }

    /// <summary>The running cell's input and its interrupt, or null when it has none.</summary>
    internal static (ICellInput Input, CancellationToken Cancellation)? Current =>
        Cells.Current is { Input: { } input } source ? (input, source.Cancellation) : null;

    /// <summary>Where one cell's console input comes from (none: end-of-file).</summary>
    sealed record CellInputSource(ICellInput? Input, CancellationToken Cancellation);

    /// <summary>A reader that asks for a line when its buffer is empty; <c>Read</c> and <c>Peek</c> serve the same
    /// line character by character, with its newline.</summary>
    sealed class CellReader : TextReader
    {
        string _pending = "";
        int _position;

        public override string? ReadLine()
        {
            if (_position < _pending.Length)
            {
                var rest = _pending[_position..].TrimEnd('\n');
                _pending = "";
                _position = 0;
                return rest;
            }
            return Current is { } c ? c.Input.ReadLine("", false, c.Cancellation) : null;
        }

        public override int Peek() => Fill() ? _pending[_position] : -1;

        public override int Read() => Fill() ? _pending[_position++] : -1;

        bool Fill()
        {
            if (_position < _pending.Length) return true;
            if (Current is not { } c) return false;
            _pending = c.Input.ReadLine("", false, c.Cancellation) + "\n";
            _position = 0;
            return true;
        }
    }
}
