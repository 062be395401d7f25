using Folk.Lab.Diagnostics;
using Folk.Lab.Models;
using Folk.Lab.Tests.Cli;
using Folk.Lab.Tests.Support;
using static TorchSharp.torch;

namespace Folk.Lab.Tests.Diagnostics;

[Collection(GlobalRngCollection.Name)]                 // the benchmark seeds torch's global RNG for its batch and weights
public class FineTuneStepBenchmarkTests
{
    [Fact]
    public void TheTimedStepTrainsTheClassifier()
    {
        var tiny = FineTuneStepCase.VitTiny(16, 4, batch: 8, classes: 5) with
        {
            Encoder = VisionTransformerConfig.Tiny16 with { ImageSize = 16, PatchSize = 4, Depth = 2, MeanPooling = true, Classes = 5 },
        };
        var timing = FineTuneStepBenchmark.Run(tiny, CPU, steps: 6, warmup: 2);
        Assert.Equal(8, timing.Losses.Count);                                          // warm-up steps are stepped too
        Assert.InRange(timing.Losses[0], Math.Log(5) - 0.5, Math.Log(5) + 0.5);         // a fresh head: about ln 5
        Assert.True(timing.Losses[^1] < timing.Losses[0] - 0.2, $"the loss on the fixed batch falls: {string.Join(", ", timing.Losses.Select(l => l.ToString("F3")))}");
        Assert.True(timing.SecondsPerStep > 0 && timing.ImagesPerSecond == 8 / timing.SecondsPerStep);

        var encoderOnly = tiny with { Encoder = tiny.Encoder with { Classes = 0 } };
        Assert.Contains("needs a classifier", Assert.Throws<ArgumentException>(() => FineTuneStepBenchmark.Run(encoderOnly, CPU)).Message);
    }

    [Fact]
    public void BenchFinetuneReportsImagesPerSecond()
    {
        var r = CliRunner.Run("bench", "finetune", "--batch", "2", "--steps", "1", "--warmup", "0", "--threads", "1", "--no-reference");
        Assert.Equal(0, r.ExitCode);
        Assert.Matches(@"vit-t/4@32\s+10\s+\d+\.\d", r.Out);
        Assert.Contains("bench finetune: --case vit-b: unknown", CliRunner.Run("bench", "finetune", "--case", "vit-b").Error);
    }

    [PyTorchFact]
    public void BenchFinetuneComparesWithPyTorchInTheSameRun()
    {
        var r = CliRunner.Run("bench", "finetune", "--batch", "2", "--steps", "1", "--warmup", "0", "--threads", "1");
        Assert.Equal(0, r.ExitCode);
        Assert.Matches(@"vit-t/4@32\s+10\s+\d+\.\d\s+\d+\.\d\s+\d+\.\d\d×", r.Out);
    }
}
