using Folk.Lab.Kernel.Tests.Support;
using Xunit.Abstractions;

namespace Folk.Lab.Kernel.Tests.Jupyter;

/// <summary>shutdown_request from jupyter_client, with restart false and through the client's restart path.</summary>
[Trait("Category", "Slow"), Collection(JupyterCollection.Name)]
public class LifecycleTests(ITestOutputHelper log, KernelInstallation kernel) : IClassFixture<KernelInstallation>
{
    [JupyterFact]
    public void ShutdownRequestIsAnsweredAndTheProcessExitsByItself()
    {
        var (result, process) = KernelChecks.Run(kernel, "shutdown");
        log.WriteLine(process.ToString());
        Assert.Equal("shutdown_reply", result["msg_type"]!.GetValue<string>());
        Assert.Equal("ok", result["content"]!["status"]!.GetValue<string>());
        Assert.False(result["content"]!["restart"]!.GetValue<bool>());
        Assert.Equal(0, result["exit_code"]!.GetValue<int>());       // exited by itself: the client waits 10 s, then reports null
        log.WriteLine($"the kernel exited {result["exit_seconds"]} s after the request");
    }

    [JupyterFact]
    public void RestartStartsAFreshKernelAfterTheOldOneExitedByItself()
    {
        var (result, process) = KernelChecks.Run(kernel, "restart");
        log.WriteLine(process.ToString());
        // KernelManager.restart_kernel: shutdown_request(restart=true), then it waits for the process (SIGTERM, SIGKILL if not)
        Assert.Equal("ShutdownRequest", result["shutdown_status"]!.GetValue<string>());
        Assert.Equal(0, result["old_exit_code"]!.GetValue<int>());
        Assert.NotEqual(result["old_pid"]!.GetValue<int>(), result["new_pid"]!.GetValue<int>());
        Assert.Equal("CompilationError", result["before_ename"]!.GetValue<string>()); // a fresh session: 'before' is gone
        Assert.Equal("ok", result["after_status"]!.GetValue<string>());
        Assert.Equal("2", result["after_value"]![0]!.GetValue<string>());

        var reply = result["reply"]!; // shutdown_request(restart=true) sent by the client itself
        Assert.Equal("shutdown_reply", reply["msg_type"]!.GetValue<string>());
        Assert.True(reply["content"]!["restart"]!.GetValue<bool>());
        Assert.Equal(0, reply["exit_code"]!.GetValue<int>());
    }
}
