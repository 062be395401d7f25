using System.Text.Json;
using Folk.Lab.Evaluation;
using Folk.Lab.Experiments;
using Folk.Lab.Tests.Support;
using Folk.Lab.Training;
using FolkMethod = Folk.Lab.Methods.Folk;

namespace Folk.Lab.Tests.Experiments;

[Collection(GlobalRngCollection.Name)]
public sealed class ProbeExperimentTests : IDisposable
{
    readonly string _root = Directory.CreateTempSubdirectory("folk-lab-probe-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    static double[] TeacherTemperatures(string folder) =>
        new MetricsLog(folder).Read().Select(e => e.GetProperty("teacher_temp").GetDouble()).ToArray();

    [Fact]
    public void TheProbeAndPretrainBuildFolkForTheRunTheyTrainNotForTheRecipesLength()
    {
        // the recipe says 300 epochs, τ_t warming up over 30 of them, as FolkPresets do; the probe fits the run to its budget
        var folk = TinyRecipes.SmallFolk;
        var recipe = TinyRecipes.For(folk, Path.Combine(_root, "unused"), epochs: 300);
        var options = new ProbeExperimentOptions
        {
            Budget = TimeSpan.FromSeconds(2), PretrainImages = 16, ProbeTrainImages = 20, ProbeTestImages = 10, Seed = 3,
            Knn = new KnnProbeOptions { K = 5 }, Linear = new LinearProbeOptions { Steps = 5 },
        };
        var probed = Path.Combine(_root, "probe");
        var report = ProbeExperiment.Run(recipe, options, probed);
        Assert.True(report.Steps >= 2, $"{report.Steps} steps");

        // the run it trained: config.json's epochs (2 iterations each), and τ_t of every iteration in metrics.jsonl
        using var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(probed, "config.json")));
        var trainer = config.RootElement.GetProperty("trainer");
        int epochs = trainer.GetProperty("Epochs").GetInt32();
        Assert.InRange(epochs, 1, 299);
        long total = 2L * epochs;
        var temperatures = TeacherTemperatures(probed);
        Assert.Equal(report.Steps, temperatures.Length);
        for (int step = 0; step < temperatures.Length; step++)
        {
            int epoch = (int)Math.Min(epochs - 1, step * (long)epochs / total);
            Assert.Equal(folk.TeacherTemperature.At(epoch), temperatures[step], 1e-6);
        }

        // folk-lab pretrain builds the same recipe for the same length, and its τ_t follows the same schedule
        var fitted = recipe with
        {
            Trainer = recipe.Trainer with
            {
                Epochs = epochs, WarmupEpochs = trainer.GetProperty("WarmupEpochs").GetDouble(), Seed = options.Seed, LogEverySteps = 1,
                RunFolder = Path.Combine(_root, "pretrain"),
            },
        };
        using var cancel = new CancellationTokenSource();
        var pretrain = PretrainingRun.Assemble(fitted, new Folk.Lab.Data.SyntheticImages(new() { Size = 16, Count = 16, Seed = 3 }), "synthetic",
            new StopAfter(Math.Min(temperatures.Length, 6), cancel));
        Assert.Equal(epochs, Assert.IsType<FolkMethod>(pretrain.Method).Epochs);
        pretrain.Trainer.Run(cancel.Token);
        var pretrained = TeacherTemperatures(fitted.Trainer.RunFolder!);
        Assert.Equal(temperatures.Take(pretrained.Length), pretrained);
    }

    sealed class StopAfter(int steps, CancellationTokenSource cancel) : ITrainingCallbacks
    {
        public void OnStep(StepReport report) { if (report.Step + 1 >= steps) cancel.Cancel(); }
    }
}
