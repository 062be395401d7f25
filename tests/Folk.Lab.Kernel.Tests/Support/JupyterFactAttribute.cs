using Folk.Lab.Tests.Shared;

namespace Folk.Lab.Kernel.Tests.Support;

/// <summary>
/// A test that drives the kernel through Debian's Jupyter clients (/usr/bin/python3 with jupyter_client, nbclient and
/// nbconvert). Skipped with the install hint where they are missing, unless FOLK_LAB_REQUIRE_REFERENCES=1 (CI sets
/// it): then it runs and fails, never passes silently.
/// </summary>
public sealed class JupyterFactAttribute : FactAttribute
{
    /// <summary>The Python that has the Jupyter packages (the one on PATH may be another).</summary>
    public const string Python = PythonModules.Python;

    const string Hint = "needs Debian's Jupyter clients: apt-get install -y jupyter-client jupyter-nbconvert python3-nbclient python3-ipykernel";

    static readonly Lazy<string?> Missing = new(Probe);

    public JupyterFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("FOLK_LAB_REQUIRE_REFERENCES") == "1") return;
        if (Missing.Value is { } why) Skip = $"{Hint} ({why})";
    }

    static string? Probe() => PythonModules.Missing("jupyter_client, nbclient, nbconvert, ipykernel");

    /// <summary>Further Python modules the test needs (e.g. "numpy, torch" for Python cells that use PyTorch): skipped
    /// with their install hint where missing, under the same rule.</summary>
    public string? AlsoNeeds
    {
        get => _alsoNeeds;
        init
        {
            _alsoNeeds = value;
            if (Skip is null && value is not null && Environment.GetEnvironmentVariable("FOLK_LAB_REQUIRE_REFERENCES") != "1"
                && PythonModules.Missing(value) is { } why)
                Skip = $"needs {value} in Debian's Python: apt-get install -y python3-numpy python3-torch ({why})";
        }
    }

    readonly string? _alsoNeeds;
}
