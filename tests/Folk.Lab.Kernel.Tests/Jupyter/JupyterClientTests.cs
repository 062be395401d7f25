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

    /// <summary>No clock decides this test: the cell waits for a file the client writes only after "before" reached it
    /// (scripts/kernel_checks.py, <c>streaming</c>), so "after" proves that stdout was relayed while the cell ran.</summary>
    [JupyterFact]
    public void StdoutIsStreamedWhileTheCellRuns()
    {
        var result = Check("streaming");
        var streams = result["streams"]!.AsArray().Select(s => s!.GetValue<string>()).ToList();
        Assert.Equal("ok", result["status"]!.GetValue<string>());
        Assert.Equal("before\nafter\n", string.Concat(streams));         // "gave up": 'before' was held back until the cell ended
        Assert.True(streams.Count >= 2, $"'before' and 'after' came in one message: {result}");
        log.WriteLine($"kernel ready in {result["ready_seconds"]} s (the target, 3 s, is measured by folk-lab bench kernel)");
    }

    /// <summary>Both loops run forever, so a reply at all means the interrupt worked (the client gives up after 30 s).
    /// The seconds are logged, not bounded: how fast a loaded machine answers is a benchmark's question.</summary>
    [JupyterFact]
    public void InterruptStopsTheRunningCellAndSigintDoesNotKillTheKernel()
    {
        var result = Check("interrupt");
        log.WriteLine($"cooperative loop stopped in {result["cooperative"]!["seconds"]} s, ignoring loop abandoned in {result["ignoring"]!["seconds"]} s");
        var cooperative = result["cooperative"]!;
        Assert.Equal("error", cooperative["status"]!.GetValue<string>());
        Assert.Equal("OperationCanceledException", cooperative["ename"]!.GetValue<string>());
        var ignoring = result["ignoring"]!;
        Assert.Equal("error", ignoring["status"]!.GetValue<string>());
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
