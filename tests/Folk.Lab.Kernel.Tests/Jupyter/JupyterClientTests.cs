using System.Text.Json.Nodes;
using Folk.Lab.Kernel.Tests.Support;
using Xunit.Abstractions;

namespace Folk.Lab.Kernel.Tests.Jupyter;

/// <summary>The kernel driven by jupyter_client directly (scripts/kernel_checks.py): streaming, interrupts, signatures, memory.</summary>
[Trait("Category", "Slow"), Collection(JupyterCollection.Name)]
public class JupyterClientTests(ITestOutputHelper log, KernelInstallation kernel) : IClassFixture<KernelInstallation>
{
    readonly KernelInstallation _kernel = kernel;

    JsonObject Check(string check, params string[] extra)
    {
        var (result, process) = KernelChecks.Run(_kernel, check, extra);
        log.WriteLine(process.ToString());
        return result;
    }

    [JupyterFact]
    public void StdoutIsStreamedWhileTheCellRuns()
    {
        var result = Check("streaming");
        var streams = result["streams"]!.AsArray().Select(s => (Seconds: s![0]!.GetValue<double>(), Text: s[1]!.GetValue<string>())).ToList();
        Assert.Equal("before\nafter\n", string.Concat(streams.Select(s => s.Text)));
        Assert.True(streams.Count >= 2, "printed before and after a 1.5 s sleep: two stream messages expected");
        Assert.True(streams[^1].Seconds - streams[0].Seconds > 1.0, $"'before' arrived only with 'after': {result}");
        // the target is 3 s (see `folk-lab bench kernel`); the bound here leaves room for a loaded CI machine
        Assert.True(result["ready_seconds"]!.GetValue<double>() <= 6.0, $"kernel ready in {result["ready_seconds"]} s; target ≤ 3 s");
    }

    [JupyterFact]
    public void InterruptStopsTheRunningCellAndSigintDoesNotKillTheKernel()
    {
        var result = Check("interrupt");
        var cooperative = result["cooperative"]!;
        Assert.Equal("error", cooperative["status"]!.GetValue<string>());
        Assert.Equal("OperationCanceledException", cooperative["ename"]!.GetValue<string>());
        Assert.True(cooperative["seconds"]!.GetValue<double>() < 1.0, $"a loop checking Cancellation stops within a second: {result}");
        var ignoring = result["ignoring"]!;
        Assert.Equal("error", ignoring["status"]!.GetValue<string>());
        Assert.True(ignoring["seconds"]!.GetValue<double>() < 3.0, $"a loop ignoring Cancellation is abandoned after the grace period: {result}");
        Assert.True(result["after"]!["alive"]!.GetValue<bool>());
        Assert.Equal("2", result["after"]!["value"]![0]!.GetValue<string>());
    }

    [JupyterFact]
    public void MessagesWithAForgedOrMissingSignatureAreDroppedAndTheNextValidRequestIsAnswered()
    {
        var result = Check("forged");
        Assert.False(result["forged_reply_seen"]!.GetValue<bool>());
        Assert.Equal("CompilationError", result["next_ename"]!.GetValue<string>()); // 'forged' was never declared
        Assert.True(result["kernel_info_answered"]!.GetValue<bool>());
        Assert.Equal("csharp", result["language"]!.GetValue<string>());
    }

    /// <summary>
    /// Roslyn scripting never unloads a cell's assembly and keeps every submission's compilation, so some growth per
    /// cell is unavoidable. Measured on Debian 12 (2 cores, .NET 10): 290–333 MiB over 500 trivial cells, and the same
    /// after a forced compacting collection, so it is retained memory, not garbage the GC has yet to return. The bound,
    /// 400 MiB (0.8 MiB per cell), is above that spread and catches the regression this test exists for: without the
    /// cached reference resolver, 500 cells grew the kernel by 2.2 GB (4.4 MiB per cell). Bringing the retention
    /// itself down is open work.
    /// </summary>
    [JupyterFact]
    public void FiveHundredExecutionsStayWithinTheMemoryBound()
    {
        var result = Check("memory", "--count", "500");
        var growthMiB = (result["rss_after_kib"]!.GetValue<int>() - result["rss_before_kib"]!.GetValue<int>()) / 1024.0;
        log.WriteLine($"RSS growth over 500 executions: {growthMiB:F1} MiB");
        Assert.True(growthMiB < 400, $"RSS grew {growthMiB:F1} MiB over 500 executions; the bound is 400 MiB (0.8 MiB per cell)");
    }
}
