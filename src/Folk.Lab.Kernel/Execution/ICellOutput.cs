using Folk.Lab.Kernel.Display;

namespace Folk.Lab.Kernel.Execution;

/// <summary>
/// Where a running cell's outputs go: the kernel publishes them on iopub, a headless run appends them to the notebook.
/// Both receive the same calls from <see cref="CellEngine"/>, so a notebook executed either way holds the same outputs.
/// </summary>
public interface ICellOutput
{
    /// <summary>Text written to stdout or stderr (<paramref name="name"/> is "stdout" or "stderr").</summary>
    void Stream(string name, string text);

    /// <summary>A displayed value; <paramref name="displayId"/> names it for later updates.</summary>
    void Display(MimeBundle data, string displayId);

    /// <summary>Replaces what display <paramref name="displayId"/> shows.</summary>
    void UpdateDisplay(MimeBundle data, string displayId);
}
