namespace Folk.Lab.Tests.Shared;

/// <summary>
/// A test of Python cells (the kernel's, or a notebook that has them): it needs Debian's Python with ipykernel, NumPy
/// and PyTorch. Skipped with the install hint where they are missing, unless FOLK_LAB_REQUIRE_REFERENCES=1 (CI sets
/// it): then it runs and fails, never passes silently.
/// </summary>
public sealed class PythonKernelFactAttribute : FactAttribute
{
    const string Hint = "needs Debian's Python kernel and PyTorch: apt-get install -y python3-ipykernel python3-numpy python3-torch";

    static readonly Lazy<string?> Missing = new(() => PythonModules.Missing("ipykernel, numpy, torch"));

    public PythonKernelFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("FOLK_LAB_REQUIRE_REFERENCES") == "1") return;
        if (Missing.Value is { } why) Skip = $"{Hint} ({why})";
    }
}
