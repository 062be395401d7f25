namespace Folk.Lab.Interactive.Widgets;

/// <summary>
/// An output area inside a widget layout whose content a handler replaces (<see cref="Replace"/>) or clears. It works
/// as ipywidgets' Output: while it captures, its <c>msg_id</c> is the id of the message being served, and the front end
/// routes outputs parented to that message into the area instead of the cell's output.
/// </summary>
public sealed class Output : DomWidget
{
    /// <summary>An empty area.</summary>
    public Output() : base("OutputModel", "OutputView") => State["msg_id"] = "";

    /// <summary>The value shown last (null: empty); also kept without a front end, so a headless run can read it.</summary>
    public object? Current { get; private set; }

    /// <summary>Runs <paramref name="action"/> with its outputs (displays, console output) going into the area.</summary>
    public void Capture(Action action)
    {
        if (Widget.Channel?.ParentMessageId is not { } parent)
        {
            action();
            return;
        }
        EnsureOpen();
        Set("msg_id", parent);
        try { action(); }
        finally { Set("msg_id", ""); }
    }

    /// <summary>Replaces the content with <paramref name="value"/>, formatted like any displayed value.</summary>
    public void Replace(object? value)
    {
        Current = value;
        Capture(() =>
        {
            Widget.Channel?.ClearOutput(wait: true);
            Widget.Channel?.Display(value);
        });
    }

    /// <summary>Empties the area.</summary>
    public void Clear()
    {
        Current = null;
        Capture(() => Widget.Channel?.ClearOutput(wait: false));
    }

    /// <inheritdoc/>
    public override string ToString() => $"Output({Current ?? "empty"})";
}
