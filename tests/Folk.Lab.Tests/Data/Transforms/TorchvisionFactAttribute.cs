using System.Diagnostics;
using Folk.Lab.Diagnostics;

namespace Folk.Lab.Tests.Data.Transforms;

/// <summary>
/// A parity test against torchvision (Debian's python3-torchvision next to python3-torch). Like
/// <see cref="Support.PyTorchFactAttribute"/>, it is skipped with the install command where torchvision is missing,
/// unless FOLK_LAB_REQUIRE_REFERENCES=1: then it runs and fails, never passes silently.
/// </summary>
public sealed class TorchvisionFactAttribute : FactAttribute
{
    public TorchvisionFactAttribute()
    {
        if (TorchvisionProbe.SkipReason is { } reason) Skip = reason;
    }
}

/// <summary>The theory form of <see cref="TorchvisionFactAttribute"/>.</summary>
public sealed class TorchvisionTheoryAttribute : TheoryAttribute
{
    public TorchvisionTheoryAttribute()
    {
        if (TorchvisionProbe.SkipReason is { } reason) Skip = reason;
    }
}

internal static class TorchvisionProbe
{
    const string Hint = "Parity with torchvision: sudo apt-get install -y python3-torchvision (beside python3-torch)";

    static readonly Lazy<string?> Reason = new(Probe);

    public static string? SkipReason => Reason.Value;

    static string? Probe()
    {
        if (Environment.GetEnvironmentVariable("FOLK_LAB_REQUIRE_REFERENCES") == "1") return null;
        var python = ReferencePython.Find();
        if (python is null) return "Parity with PyTorch: " + ReferencePython.InstallHint;
        var start = new ProcessStartInfo(python.Executable, new[] { "-c", "import torchvision" }) { RedirectStandardError = true, RedirectStandardOutput = true };
        using var process = Process.Start(start)!;
        process.StandardOutput.ReadToEnd();
        process.StandardError.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0 ? null : Hint;
    }
}
