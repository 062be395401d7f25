using System.Text.Json.Nodes;

namespace Folk.Lab.Kernel.Tests.Support;

/// <summary>Runs one check of scripts/kernel_checks.py (jupyter_client) against the installed test kernel.</summary>
public static class KernelChecks
{
    /// <summary>The JSON object the check printed last; throws with the whole output when the script failed.</summary>
    public static (JsonObject Result, ProcessResult Process) Run(KernelInstallation kernel, string check, params string[] extra)
    {
        var script = Path.Combine(AppContext.BaseDirectory, "scripts", "kernel_checks.py");
        var result = Processes.Run(JupyterFactAttribute.Python, [script, check, "--kernel", KernelInstallation.KernelName, .. extra],
            kernel.Environment, kernel.Work, timeoutSeconds: 400);
        if (result.ExitCode != 0) throw new InvalidOperationException($"kernel_checks.py {check} failed: {result}");
        return (JsonNode.Parse(result.Output.Trim().Split('\n')[^1])!.AsObject(), result);
    }
}

/// <summary>
/// One kernel for a whole test class: the check runs once, on first use, and every test asserts on its part of the
/// result (a failed run fails each of them with the script's output).
/// </summary>
public abstract class SharedKernelCheck : IDisposable
{
    readonly Lazy<(JsonObject Result, ProcessResult Process)> _run;

    protected SharedKernelCheck(string check)
    {
        _run = new(() => KernelChecks.Run(Kernel, check));
    }

    public KernelInstallation Kernel { get; } = new();

    public JsonObject Result => _run.Value.Result;

    public ProcessResult Process => _run.Value.Process;

    public void Dispose()
    {
        Kernel.Dispose();
        GC.SuppressFinalize(this);
    }
}
