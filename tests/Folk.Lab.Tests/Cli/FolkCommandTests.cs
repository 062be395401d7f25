using Folk.Lab.Diagnostics;
using Folk.Lab.Masks;
using Folk.Lab.Methods;
using Folk.Lab.Experiments;
using Folk.Lab.Models;
using Folk.Lab.Models.Heads;
using Folk.Lab.Tests.Support;
using Folk.Lab.Training;

namespace Folk.Lab.Tests.Cli;

[Collection(GlobalRngCollection.Name)]
public sealed class FolkCommandTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("folk-lab-folk-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void PretrainMethodFolkTrainsLogsEachTermAndResumes()
    {
        var folder = Path.Combine(_dir, "run");
        string[] Args(int epochs) => new[]
        {
            "pretrain", "--method", "folk", "--model", "vit-t", "--depth", "1", "--image-size", "16", "--patch-size", "4",
            "--epochs", $"{epochs}", "--batch-size", "8", "--synthetic-count", "16", "--lr", "2e-3", "--warmup-epochs", "0.5",
            "--prototypes", "32", "--log-every", "1", "--workers", "1", "--out", folder,
        };
        var first = CliRunner.Run(Args(1));
        Assert.True(first.ExitCode == 0, first.Out + first.Error);
        Assert.Contains("pretrain folk on vit-t", first.Out);
        var second = CliRunner.Run(Args(2));                                   // a longer run of the same recipe continues
        Assert.True(second.ExitCode == 0, second.Out + second.Error);
        var log = new MetricsLog(folder).Read().ToList();
        Assert.Equal(4, log.Count);
        Assert.All(log, e => Assert.True(e.TryGetProperty("loss_rec", out _) && e.TryGetProperty("loss_distill", out _)));
        Assert.Contains("\"method\": \"folk\"", File.ReadAllText(Path.Combine(folder, "config.json")));
        Assert.Contains("exported encoder: student (the teacher holds 0.99", second.Out);     // 4 steps: Auto keeps the student

        // what is exported does not change what is trained: the folder resumes with another --export
        var third = CliRunner.Run(Args(3).Append("--export").Append("teacher").ToArray());
        Assert.True(third.ExitCode == 0, third.Out + third.Error);
        Assert.Contains("exported encoder: teacher", third.Out);
        Assert.Equal(6, new MetricsLog(folder).Read().Count());
    }

    [Fact]
    public void PretrainReadsTauAsAMagnitudeThresholdWhenAsked()
    {
        var folder = Path.Combine(_dir, "magnitude");
        var r = CliRunner.Run("pretrain", "--method", "folk", "--model", "vit-t", "--depth", "1", "--image-size", "16", "--patch-size", "4",
            "--epochs", "1", "--batch-size", "8", "--synthetic-count", "16", "--warmup-epochs", "0.5", "--prototypes", "32", "--workers", "1",
            "--tau-reading", "magnitude-fraction", "--out", folder);
        Assert.True(r.ExitCode == 0, r.Out + r.Error);
        using var config = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "config.json")));
        var com = config.RootElement.GetProperty("experiment").GetProperty("Folk").GetProperty("Masks").GetProperty("Com");
        Assert.Equal((int)ComThreshold.MagnitudeFraction, com.GetProperty("Threshold").GetInt32());
    }

    [Fact]
    public void PresetsCiteTheMfmRecipeWithDinosTeacherKnobs()
    {
        var s = FolkPresets.VitSmall16Ep300;
        var folk = Assert.IsType<FolkConfig>(s.Method);
        Assert.Equal(("folk", "vit-s", 224, 128, 300, 3e-4), (folk.Name, s.Model, s.ImageSize, s.BatchSize, s.Trainer.Epochs, s.Trainer.BaseLearningRate));
        Assert.Equal((65536, 0.1, 0.04, 0.07, 30, 0.996, 1.0), (folk.Head.OutputDim, folk.StudentTemperature, folk.TeacherTemperature.Start,
            folk.TeacherTemperature.End, folk.TeacherTemperature.WarmupEpochs, folk.TeacherMomentum, folk.TeacherMomentumEnd));
        Assert.Equal("vit-b", FolkPresets.VitBase16Ep300.Model);
        // the ablation of the riskiest reading: the same recipe once per reading of τ, the default first
        var readings = FolkPresets.TauReadings("vit-s").Select(r => Assert.IsType<FolkConfig>(r.Method)).ToList();
        Assert.Equal(new[] { ComThreshold.KeepFraction, ComThreshold.MagnitudeFraction }, readings.Select(r => r.Masks.Com.Threshold));
        Assert.Equal(folk.Describe(224).ToJsonString(), readings[0].Describe(224).ToJsonString());
        Assert.Equal(folk.WithTauReading(ComThreshold.MagnitudeFraction).Describe(224).ToJsonString(), readings[1].Describe(224).ToJsonString());
        Assert.Equal(0.3, Assert.IsType<FolkConfig>(FolkPresets.ResNet50Ep300.Method).RadialMasks.LowPassProbability);
    }

    [Fact]
    public void TheBenchmarkTimesFolkAndCountsAboutTwoPointSevenTimesMfmsFlops()
    {
        var head = new DinoHeadConfig { OutputDim = 32, HiddenDim = 16, BottleneckDim = 8 };
        var tiny = new PretrainBenchmarkCase("tiny", "vit-t", 16, 2, PatchSize: 4, Depth: 1);
        var mfm = PretrainBenchmark.Run(tiny, TorchSharp.torch.CPU, steps: 1, warmup: 0);
        var folk = PretrainBenchmark.Run(tiny with { Method = new FolkConfig { Head = head } }, TorchSharp.torch.CPU, steps: 1, warmup: 0);
        Assert.True(folk.SecondsPerStep > 0 && folk.PeakBytes > 0);
        // with a negligible projection head the count is exactly (2·3 + 2 − 2·MFM-head share) / 3 of MFM's
        Assert.InRange(folk.FlopsPerImage / mfm.FlopsPerImage, 2.5, 2.8);
        var vitS = VisionTransformerConfig.Small16;
        double ratio = Flops.FolkStep(vitS, new DinoHeadConfig()) / Flops.TrainingStep(Flops.VisionTransformerForward(vitS));
        Assert.InRange(ratio, 2.6, 2.8);                                      // 8/3 ≈ 2.7×
    }
}
