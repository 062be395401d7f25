using System.Text;

namespace Folk.Lab.Kernel.Execution;

/// <summary>
/// Captures <see cref="Console.Out"/> and <see cref="Console.Error"/> for the running cell and streams them to its
/// <see cref="ICellOutput"/> while it runs: text is buffered and flushed every <see cref="FlushInterval"/>, and once
/// more when the cell ends. Outside a cell, writes go to the process's own streams.
/// </summary>
/// <remarks>Which cell a write belongs to is decided per write (<see cref="CellScoped{T}"/>): the cell whose flow
/// writes, else the newest running one. So engines running cells at the same time in one process (a headless series
/// run beside a kernel's cells) each keep their own output.</remarks>
public static class OutputCapture
{
    /// <summary>How often buffered text is sent while a cell runs.</summary>
    public static readonly TimeSpan FlushInterval = TimeSpan.FromMilliseconds(50);

    static readonly object Gate = new();
    static readonly CellScoped<CellStreams> Cells = new();
    static CapturingWriter? _out, _error;
    static TextWriter? _installedOut, _installedError;
    static Timer? _timer;

    /// <summary>Routes console output written by this cell to <paramref name="output"/> until the returned scope is
    /// disposed; disposing it sends what is left.</summary>
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
                _timer = new Timer(_ => FlushAll(), null, FlushInterval, FlushInterval);
            }
            EnsureInstalled();
        }
        var streams = new CellStreams(output);
        return new Scope(streams, Cells.Enter(streams));
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

    /// <summary>Sends what the current cell has buffered (before a display, so that text printed first shows first).</summary>
    public static void Flush()
    {
        lock (Gate) Cells.Current?.Send();
    }

    static void FlushAll()
    {
        lock (Gate)
            foreach (var streams in Cells.Open) streams.Send();
    }

    sealed class Scope(CellStreams streams, IDisposable entered) : IDisposable
    {
        public void Dispose()
        {
            lock (Gate)
            {
                streams.Send();
                entered.Dispose();
            }
        }
    }

    /// <summary>One cell's buffered text, per stream; used under <see cref="Gate"/>.</summary>
    sealed class CellStreams(ICellOutput output)
    {
        readonly StringBuilder _stdout = new(), _stderr = new();

        public void Append(string name, string? text) => Buffer(name).Append(text);

        public void Append(string name, char value) => Buffer(name).Append(value);

        StringBuilder Buffer(string name) => name == "stdout" ? _stdout : _stderr;

        public void Send()
        {
            SendOne("stdout", _stdout);
            SendOne("stderr", _stderr);
        }

        void SendOne(string name, StringBuilder buffer)
        {
            if (buffer.Length == 0) return;
            var text = buffer.ToString();
            buffer.Clear();
            output.Stream(name, text);
        }
    }

    /// <summary>Buffers a write for the cell it belongs to; outside every cell, passes it to the process stream.</summary>
    sealed class CapturingWriter(string name, TextWriter fallback) : TextWriter
    {
        public override Encoding Encoding => Encoding.UTF8;

        public override void Write(char value)
        {
            lock (Gate)
            {
                if (Cells.Current is { } cell) cell.Append(name, value);
                else fallback.Write(value);
            }
        }

        public override void Write(string? value)
        {
            lock (Gate)
            {
                if (Cells.Current is { } cell) cell.Append(name, value);
                else fallback.Write(value);
            }
        }

        public override void Write(char[] buffer, int index, int count) => Write(new string(buffer, index, count));

        public override void Flush()
        {
            lock (Gate) fallback.Flush();
        }
    }
}
