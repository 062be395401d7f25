using System.Diagnostics;

namespace Folk.Lab.Tests.Cli;

/// <summary>
/// The built command (not the in-process runner the other CLI tests use) restarts its training verbs with a 64 MiB
/// gen0 budget, leaves the budget to a user who sets it, and hands back the child's exit code.
/// </summary>
public class RelaunchTests
{
    static (int ExitCode, string Out, string Error) FolkLab(IReadOnlyDictionary<string, string?> environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "folk-lab.dll"));
        foreach (var arg in args) start.ArgumentList.Add(arg);
        foreach (var name in new[] { "DOTNET_GCgen0size", "COMPlus_GCgen0size", "FOLK_LAB_RELAUNCHED_BY" }) start.Environment.Remove(name);
        foreach (var (name, value) in environment) start.Environment[name] = value;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"folk-lab {string.Join(' ', args)} ran longer than 2 minutes.");
        }
        return (process.ExitCode, output.Result, error.Result);
    }

    [Fact]
    public void ATrainingVerbRunsWithTheLargerBudgetUnlessTheEnvironmentChoosesOne()
    {
        if (!OperatingSystem.IsLinux()) return;                          // the relaunch is Linux-only by design
        var relaunched = FolkLab(new Dictionary<string, string?>(), "env");
        Assert.Equal(0, relaunched.ExitCode);
        Assert.Contains(".NET gen0 budget: 64 MiB (folk-lab restarted itself with DOTNET_GCgen0size=0x4000000", relaunched.Out);

        var chosen = FolkLab(new Dictionary<string, string?> { ["DOTNET_GCgen0size"] = "0x2000000" }, "env");
        Assert.Contains(".NET gen0 budget: 32 MiB (set by DOTNET_GCgen0size in the environment)", chosen.Out);
    }

    [Fact]
    public void TheParentReturnsTheChildsExitCodeAndItsErrors()
    {
        if (!OperatingSystem.IsLinux()) return;
        var missing = Path.Combine(Path.GetTempPath(), "folk-lab-no-such-run-" + Guid.NewGuid().ToString("N"));
        var inProcess = CliRunner.Run("eval", "robustness", "--encoder", missing, "--out", missing + "-out");
        var child = FolkLab(new Dictionary<string, string?>(), "eval", "robustness", "--encoder", missing, "--out", missing + "-out");
        Assert.NotEqual(0, inProcess.ExitCode);
        Assert.Equal(inProcess.ExitCode, child.ExitCode);
        Assert.Contains("not a fine-tuning run folder", child.Error);
    }
}
