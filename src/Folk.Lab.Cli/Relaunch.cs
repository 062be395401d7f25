using System.Diagnostics;
using System.Runtime.InteropServices;
using Folk.Lab.Runtime;

namespace Folk.Lab.Cli;

/// <summary>
/// Runs a training verb again in a child process whose environment sets .NET's gen0 budget
/// (<see cref="YoungGenerationBudget"/>), because the runtime reads it only at start-up. The parent only waits and
/// passes the exit code on; the child inherits the terminal, so its output, input and Ctrl+C are the user's as before.
/// </summary>
/// <remarks>
/// Linux only (the hidden-cache VMs this is for). Not for <c>--help</c>, not when the environment already chooses a budget
/// (set <c>DOTNET_GCgen0size=0</c> to keep the runtime's own and skip the relaunch), and never twice. Signals: Ctrl+C
/// reaches the whole foreground process group, so the parent ignores SIGINT and lets the child stop as it would alone;
/// a SIGTERM or SIGHUP sent to the parent is passed to the child. The child asks the kernel to send it SIGTERM when the
/// parent dies (<c>prctl(PR_SET_PDEATHSIG)</c>), so killing the parent never leaves a training running unseen.
/// </remarks>
static class Relaunch
{
    /// <summary>Set in the child: the parent's process id.</summary>
    const string ParentVariable = "FOLK_LAB_RELAUNCHED_BY";

    /// <summary>The verbs whose work allocates per step (they train or evaluate models), and <c>env</c>, which then shows
    /// the environment those verbs get.</summary>
    static readonly string[] TrainingVerbs = ["pretrain", "finetune", "eval", "probe", "segment", "reproduce", "demo", "env"];

    /// <summary>Whether this process is a relaunched child.</summary>
    public static bool IsChild => Environment.GetEnvironmentVariable(ParentVariable) is not null;

    /// <summary>Whether <paramref name="args"/> should run in a relaunched child.</summary>
    public static bool Applies(string[] args) =>
        OperatingSystem.IsLinux() && args.Length > 0 && TrainingVerbs.Contains(args[0])
        && !args.Any(a => a is "--help" or "-h" or "-?" or "--describe-optimizer")
        && !YoungGenerationBudget.ChosenByEnvironment && Environment.GetEnvironmentVariable(ParentVariable) is null;

    /// <summary>Starts the child with the same arguments and the budget set, waits, and returns its exit code.</summary>
    public static int Run(string[] args)
    {
        var host = Environment.ProcessPath ?? throw new InvalidOperationException("The process path is unknown.");
        var start = new ProcessStartInfo(host) { UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(host) == "dotnet")          // `dotnet folk-lab.dll …`: name the assembly again
            start.ArgumentList.Add(typeof(Relaunch).Assembly.Location);
        foreach (var arg in args) start.ArgumentList.Add(arg);
        start.Environment[YoungGenerationBudget.Variable] = YoungGenerationBudget.Default;
        start.Environment[ParentVariable] = Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture);

        using var child = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {host}.");
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => c.Cancel = true);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; Forward(child, c.Signal); });
        using var hangUp = PosixSignalRegistration.Create(PosixSignal.SIGHUP, c => { c.Cancel = true; Forward(child, c.Signal); });
        child.WaitForExit();
        return child.ExitCode;
    }

    /// <summary>In a relaunched child: die with the parent. Call first thing.</summary>
    public static void WatchParent()
    {
        if (!OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable(ParentVariable) is not { } parent) return;
        const int PR_SET_PDEATHSIG = 1, SIGTERM = 15;
        prctl(PR_SET_PDEATHSIG, SIGTERM, 0, 0, 0);
        if (getppid().ToString(System.Globalization.CultureInfo.InvariantCulture) != parent)
            Environment.Exit(143);                                        // the parent died before prctl: it would never tell us
    }

    static void Forward(Process child, PosixSignal signal)
    {
        if (!child.HasExited) kill(child.Id, signal == PosixSignal.SIGTERM ? 15 : 1);
    }

    [DllImport("libc", SetLastError = true)]
    static extern int prctl(int option, ulong arg2, ulong arg3, ulong arg4, ulong arg5);

    [DllImport("libc")]
    static extern int getppid();

    [DllImport("libc", SetLastError = true)]
    static extern int kill(int pid, int signal);
}
