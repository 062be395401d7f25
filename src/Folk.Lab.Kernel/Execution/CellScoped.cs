namespace Folk.Lab.Kernel.Execution;

/// <summary>
/// A value that belongs to the running cell (where its console output goes, where its console input comes from), found
/// from whatever thread asks. The answer is, in order:
/// <list type="number">
/// <item>the value whose scope the asking code's own async flow entered, while that scope is open: a cell's tasks,
/// awaits and the threads it starts carry it, so two engines in one process, each running a cell, never see each
/// other's;</item>
/// <item>else the newest scope still open: a thread the cell's flow did not start (a callback queued without its
/// context) or one a finished cell left running writes to the cell that runs now, as ipykernel does;</item>
/// <item>else none: outside every cell.</item>
/// </list>
/// </summary>
/// <remarks>Console.Out and Console.In are one per process, so a process-wide "current cell" was a race as soon as two
/// engines ran at once: the first to end cleared it, and the other's output went to the process's own stream (a headless
/// series run beside an F# cell lost that cell's <c>printfn</c>). The flow-scoped value removes the race without
/// giving up (2).</remarks>
internal sealed class CellScoped<T> where T : class
{
    readonly object _gate = new();
    readonly AsyncLocal<Scope?> _flow = new();
    readonly List<Scope> _open = [];

    /// <summary>Makes <paramref name="value"/> the value of this async flow (and the newest open one) until the returned
    /// scope is disposed.</summary>
    public IDisposable Enter(T value)
    {
        var scope = new Scope(this, value, _flow.Value);
        lock (_gate) _open.Add(scope);
        _flow.Value = scope;
        return scope;
    }

    /// <summary>The value for the code asking now (see the type's summary), or null outside every cell.</summary>
    public T? Current
    {
        get
        {
            lock (_gate)
            {
                if (_flow.Value is { Closed: false } own) return own.Value;
                return _open.Count > 0 ? _open[^1].Value : null;
            }
        }
    }

    /// <summary>The values of every open scope, oldest first.</summary>
    public IReadOnlyList<T> Open
    {
        get { lock (_gate) return _open.Select(s => s.Value).ToArray(); }
    }

    sealed class Scope(CellScoped<T> owner, T value, Scope? outer) : IDisposable
    {
        public T Value { get; } = value;

        public bool Closed { get; private set; }

        public void Dispose()
        {
            lock (owner._gate)
            {
                if (Closed) return;
                Closed = true;
                owner._open.Remove(this);
            }
            if (ReferenceEquals(owner._flow.Value, this)) owner._flow.Value = outer;
        }
    }
}
