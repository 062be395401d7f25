using Folk.Lab.Diagnostics;

namespace Folk.Lab.Tests.Support;

/// <summary>
/// A test that compares with Debian's PyTorch. Skipped, visibly and with the install command, where no Python with
/// torch exists, unless FOLK_LAB_REQUIRE_REFERENCES=1 (CI sets it): then it runs and fails, never passes silently.
/// </summary>
public sealed class PyTorchFactAttribute : FactAttribute
{
    public PyTorchFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("FOLK_LAB_REQUIRE_REFERENCES") != "1" && ReferencePython.Find() is null)
            Skip = "Parity with PyTorch: " + ReferencePython.InstallHint;
    }
}

/// <summary>The theory form of <see cref="PyTorchFactAttribute"/>.</summary>
public sealed class PyTorchTheoryAttribute : TheoryAttribute
{
    public PyTorchTheoryAttribute()
    {
        if (Environment.GetEnvironmentVariable("FOLK_LAB_REQUIRE_REFERENCES") != "1" && ReferencePython.Find() is null)
            Skip = "Parity with PyTorch: " + ReferencePython.InstallHint;
    }
}
