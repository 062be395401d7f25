using System.Text;

namespace Folk.Lab.Kernel.Execution;

/// <summary>
/// Captures <see cref="Console.Out"/> and <see cref="Console.Error"/> for the running cell and streams them to its
/// <see cref="ICellOutput"/> while it runs: text is buffered and flushed every <see cref="FlushInterval"/>, and once
/// more when the cell ends. Outside a cell, writes go to the process's own streams.
/// </summary>
public static class OutputCapture
{
    /// <summary>How often buffered text is sent while a cell runs.</summary>
    public static readonly TimeSpan FlushInterval = TimeSpan.FromMilliseconds(50);

    static readonly object Gate = new();
    static ICellOutput? _current;
    static CapturingWriter? _out, _error;
    static TextWriter? _installedOut, _installedError;
    static Timer? _timer;

    /// <summary>Routes console output to <paramref name="output"/> until the returned scope is disposed.</summary>
    /// <remarks>Every cell checks that the console still writes to the capture, and installs it again if a library
    /// replaced <see cref="Console.Out"/> or <see cref="Console.Error"/> since: a cell's output is never lost to a writer
    /// the kernel does not read. (Outside cells, text still goes to the process's own streams.)</remarks>
    public static IDisposable Begin(ICellOutput output)
    {
        lock (Gate)
        {
            if (_out is null)
            {
                _out = new CapturingWriter("stdout", Console.Out);
                _error = new CapturingWriter("stderr", Console.Error);
                _timer = new Timer(_ => Flush(), null, FlushInterval, FlushInterval);
            }
            EnsureInstalled();
            _current = output;
        }
        return new Scope();
    }

    /// <summary>Installs the capture again where something replaced the console's writers (a cell that starts an
    /// interpreter calls it after the start, so that the rest of the cell is captured too).</summary>
    public static void EnsureInstalled()
    {
        lock (Gate)
        {
            if (_out is null || _error is null) return;
            if (!ReferenceEquals(Console.Out, _installedOut))
            {
                Console.SetOut(_out);
                _installedOut = Console.Out;
            }
            if (!ReferenceEquals(Console.Error, _installedError))
            {
                Console.SetError(_error);
                _installedError = Console.Error;
            }
        }
    }

    /// <summary>Sends what is buffered to the current cell.</summary>
    public static void Flush()
    {
        lock (Gate)
        {
            if (_current is null) return;
            _out?.SendTo(_current);
            _error?.SendTo(_current);
        }
    }

    sealed class Scope : IDisposable
    {
        public void Dispose()
        {
            lock (Gate)
            {
                Flush();
                _current = null;
            }
        }
    }

    /// <summary>Buffers writes while a cell is current; otherwise passes them to the process stream.</summary>
    sealed class CapturingWriter(string name, TextWriter fallback) : TextWriter
    {
        readonly StringBuilder _buffer = new();

        public override Encoding Encoding => Encoding.UTF8;

        public override void Write(char value)
        {
            lock (Gate)
            {
                if (_current is null) fallback.Write(value);
                else _buffer.Append(value);
            }
        }

        public override void Write(string? value)
        {
            lock (Gate)
            {
                if (_current is null) fallback.Write(value);
                else _buffer.Append(value);
            }
        }

        public override void Write(char[] buffer, int index, int count) => Write(new string(buffer, index, count));

        public override void Flush()
        {
            lock (Gate) fallback.Flush();
        }

        /// <summary>Called under <see cref="Gate"/>.</summary>
        public void SendTo(ICellOutput output)
        {
            if (_buffer.Length == 0) return;
            var text = _buffer.ToString();
            _buffer.Clear();
            output.Stream(name, text);
        }
    }
}
