using Folk.Lab.Tests.Shared;

namespace Folk.Lab.Interactive.Tests.Support;

/// <summary>
/// A test that drives the live classic Jupyter Notebook (Debian's jupyter-notebook, 6.x, run by /usr/bin/python3) with
/// Debian's widget front end in Debian's chromium; its Python cells need ipykernel, numpy and PyTorch. Skipped with the
/// install hint where any is missing, unless FOLK_LAB_REQUIRE_REFERENCES=1 (CI sets it): then it runs and fails, never
/// passes silently.
/// </summary>
public sealed class LiveNotebookFactAttribute : FactAttribute
{
    /// <summary>The Python that has the notebook server (the one on PATH may be another).</summary>
    public const string Python = PythonModules.Python;

    /// <summary>The classic Notebook's widget front end as Debian installs it (jupyter-js-widgets 2.1).</summary>
    public const string WidgetsExtension = "/usr/share/jupyter/nbextensions/jupyter-js-widgets/extension.js";

    static readonly Lazy<string?> Missing = new(Probe);

    public LiveNotebookFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("FOLK_LAB_REQUIRE_REFERENCES") == "1") return;
        if (!File.Exists(ChromiumFactAttribute.Executable)) Skip = $"needs {ChromiumFactAttribute.Executable} (Debian: apt-get install -y chromium)";
        else if (!File.Exists(WidgetsExtension)) Skip = $"needs the widget front end {WidgetsExtension} (Debian: apt-get install -y jupyter-nbextension-jupyter-js-widgets)";
        else if (Missing.Value is { } why) Skip = $"needs the classic Jupyter Notebook, ipykernel, numpy and PyTorch (Debian: apt-get install -y jupyter-notebook python3-ipykernel python3-torch): {why}";
    }

    // notebook.notebookapp exists in the classic Notebook (6.x) only; Notebook 7 is a JupyterLab front end.
    static string? Probe() => PythonModules.Missing("notebook.notebookapp") ?? PythonModules.Missing("ipykernel, numpy, torch");
}
