namespace Folk.Lab.Tests.Support;

/// <summary>
/// A test that launches processes with Open MPI's <c>mpirun</c>. Skipped with the install line where it is missing,
/// unless FOLK_LAB_REQUIRE_REFERENCES=1 (CI sets it): then it runs and fails, never passes silently.
/// </summary>
public sealed class MpiFactAttribute : FactAttribute
{
    public MpiFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("FOLK_LAB_REQUIRE_REFERENCES") == "1") return;
        if (Mpirun.Path is null) Skip = "needs Open MPI's mpirun (Debian: sudo apt-get install openmpi-bin libopenmpi-dev)";
    }
}

/// <summary>Runs <c>folk-lab</c> under <c>mpirun</c>.</summary>
public static class Mpirun
{
    /// <summary>mpirun on PATH, or null.</summary>
    public static string? Path => (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':')
        .Select(dir => System.IO.Path.Combine(dir, "mpirun")).FirstOrDefault(File.Exists);

    static readonly string Cli = System.IO.Path.Combine(AppContext.BaseDirectory, "folk-lab.dll");

    /// <summary>The start of <c>mpirun -n <paramref name="processes"/> dotnet folk-lab.dll <paramref name="args"/></c>:
    /// one compute thread per process, no core binding (two processes may share a core on a small machine), and root
    /// allowed where the test runs as root (containers).</summary>
    public static System.Diagnostics.ProcessStartInfo Start(int processes, IEnumerable<string> args)
    {
        var start = new System.Diagnostics.ProcessStartInfo(Path ?? "mpirun") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "-n", $"{processes}", "--oversubscribe", "--bind-to", "none", "-x", "OMP_NUM_THREADS=1" }) start.ArgumentList.Add(a);
        if (Environment.UserName == "root") start.ArgumentList.Add("--allow-run-as-root");
        start.ArgumentList.Add("dotnet");
        start.ArgumentList.Add(Cli);
        foreach (var a in args) start.ArgumentList.Add(a);
        start.Environment["OMP_NUM_THREADS"] = "1";
        return start;
    }

    /// <summary>Runs to the end; returns the exit code and everything printed.</summary>
    public static (int ExitCode, string Out, string Error) Run(int processes, params string[] args)
    {
        using var process = System.Diagnostics.Process.Start(Start(processes, args))!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"mpirun -n {processes} folk-lab {string.Join(' ', args)} ran longer than 5 minutes.");
        }
        return (process.ExitCode, output.Result, error.Result);
    }
}
