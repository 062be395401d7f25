using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace Folk.Lab.Tests.Support;

/// <summary>
/// Runs a piece of test code in a child process, for code that may kill its process (a native crash in libtorch) instead
/// of failing: the child is this test assembly started with <c>dotnet</c>, told by an environment variable which
/// registered body to run, so a crash fails the one test that asked for it and the test run goes on.
/// </summary>
public static class ChildProcess
{
    const string Variable = "FOLK_LAB_TEST_CHILD";

    /// <summary>The bodies a child can run, by name. A body prints what the test checks and returns normally.</summary>
    static readonly Dictionary<string, Action> Bodies = new()
    {
        [Models.ResNetTests.BackwardChild] = Models.ResNetTests.ResNet50Backward,
    };

    /// <summary>What a finished child printed and its exit code (128 + the signal number when a signal killed it).</summary>
    public sealed record Result(int ExitCode, string Output, string Error)
    {
        public override string ToString() => $"exit {ExitCode}\n--- stdout ---\n{Output}\n--- stderr ---\n{Error}";
    }

    /// <summary>Runs the body registered as <paramref name="name"/> in a child process and waits for it.</summary>
    public static Result Run(string name, int timeoutSeconds = 300)
    {
        if (!Bodies.ContainsKey(name)) throw new ArgumentException($"no child body named {name}", nameof(name));
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = AppContext.BaseDirectory,
        };
        start.ArgumentList.Add(typeof(ChildProcess).Assembly.Location);
        start.Environment[Variable] = name;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(timeoutSeconds)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"child {name} ran longer than {timeoutSeconds} s.\n{error.Result}");
        }
        return new Result(process.ExitCode, output.Result, error.Result);
    }

    /// <summary>In a child, runs its body and exits before the test framework's entry point; in the test host, nothing.</summary>
#pragma warning disable CA2255 // the module initializer is how the child finds its body; it does nothing in the test host
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void RunChildBody()
    {
        var name = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrEmpty(name)) return;
        Bodies[name]();
        Console.Out.Flush();
        Environment.Exit(0);
    }
}
