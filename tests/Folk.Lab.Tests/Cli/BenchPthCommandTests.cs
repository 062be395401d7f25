using Folk.Lab.Tests.Support;

namespace Folk.Lab.Tests.Cli;

public class BenchPthCommandTests
{
    [Fact]
    public void ReportsFolkLabsReadingSpeed()
    {
        var r = CliRunner.Run("bench", "pth", "--model", "vit-t", "--repeats", "1", "--no-reference");
        Assert.True(r.ExitCode == 0, r.Error);
        Assert.Contains("bench pth: vit-t state dict, 22.", r.Out);                       // 5.5 M float32 parameters
        Assert.Matches(@"Folk\.Lab Pth\.Read +fastest +\d+\.\d ms \(\d+\.\d\d GB/s\)", r.Out);
        Assert.Matches(@"Folk\.Lab Pth\.Inspect \(names, shapes\) +median +\d+\.\d\d ms: opening a weights file costs 1/\d+ of reading it", r.Out);
        Assert.DoesNotContain("PyTorch", r.Out);
    }

    [PyTorchFact]
    public void MeasuresTorchLoadInTheSameRun()
    {
        var r = CliRunner.Run("bench", "pth", "--model", "vit-t", "--repeats", "1");
        Assert.True(r.ExitCode == 0, r.Error);
        Assert.Matches(@"PyTorch \S+ torch\.load\(weights_only=True\) +fastest +\d+\.\d ms", r.Out);
        Assert.Contains("ratio (median, Folk.Lab / PyTorch time): ", r.Out);
    }
}
