using Folk.Lab.Tests.Shared;

namespace Folk.Lab.Interactive.Tests.Support;

/// <summary>
/// A test that drives the live classic Jupyter Notebook (Debian's jupyter-notebook, 6.x, run by /usr/bin/python3) in
/// Debian's chromium. Skipped with the install hint where either is missing, unless FOLK_LAB_REQUIRE_REFERENCES=1
/// (CI sets it): then it runs and fails, never passes silently.
/// </summary>
public sealed class LiveNotebookFactAttribute : FactAttribute
{
    /// <summary>The Python that has the notebook server (the one on PATH may be another).</summary>
    public const string Python = PythonModules.Python;

    static readonly Lazy<string?> Missing = new(Probe);

    public LiveNotebookFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("FOLK_LAB_REQUIRE_REFERENCES") == "1") return;
        if (!File.Exists(ChromiumFactAttribute.Executable)) Skip = $"needs {ChromiumFactAttribute.Executable} (Debian: apt-get install -y chromium)";
        else if (Missing.Value is { } why) Skip = $"needs the classic Jupyter Notebook (Debian: apt-get install -y jupyter-notebook): {why}";
    }

    // notebook.notebookapp exists in the classic Notebook (6.x) only; Notebook 7 is a JupyterLab front end.
    static string? Probe() => PythonModules.Missing("notebook.notebookapp");
}
