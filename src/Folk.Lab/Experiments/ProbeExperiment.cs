using Folk.Lab.Data;
using Folk.Lab.Evaluation;
using Folk.Lab.Training;
using static TorchSharp.torch;

namespace Folk.Lab.Experiments;

/// <summary>A learning-signal experiment: which data, how long, and how to probe.</summary>
public sealed record ProbeExperimentOptions
{
    /// <summary>Wall-clock pre-training budget (every method gets the same).</summary>
    public TimeSpan Budget { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Unlabelled pre-training images (synthetic, seed <see cref="Seed"/>).</summary>
    public int PretrainImages { get; init; } = 4096;

    /// <summary>Labelled probe training images (synthetic, another seed).</summary>
    public int ProbeTrainImages { get; init; } = 2000;

    /// <summary>Labelled probe test images (synthetic, a third seed).</summary>
    public int ProbeTestImages { get; init; } = 1000;

    /// <summary>Seed of data, initialisation and training.</summary>
    public long Seed { get; init; }

    /// <summary>k-NN options (DINO's k = 20, T = 0.07).</summary>
    public KnnProbeOptions Knn { get; init; } = new();

    /// <summary>Linear-probe options.</summary>
    public LinearProbeOptions Linear { get; init; } = new();
}

/// <summary>What a budgeted run reached.</summary>
/// <param name="Method">The recipe's method.</param>
/// <param name="Steps">Iterations trained within the budget.</param>
/// <param name="Seconds">Wall-clock seconds spent training.</param>
/// <param name="FinalLoss">The last iteration's loss.</param>
/// <param name="KnnAccuracy">k-NN top-1 on the probe test set.</param>
/// <param name="Linear">Linear-probe accuracies.</param>
public sealed record ProbeReport(string Method, long Steps, double Seconds, double? FinalLoss, double KnnAccuracy, ProbeResult Linear)
{
    /// <summary>The network probed (<see cref="Methods.IPretrainingMethod.ExportedEncoder"/>: FOLK's student or teacher, and why).</summary>
    public string Encoder { get; init; } = "encoder";
}

/// <summary>
/// Pre-trains a recipe on synthetic images for a fixed wall-clock budget (the trainer is cancelled when it runs out),
/// then probes the exported encoder's pooled features (for FOLK, the student or the teacher by the run's length,
/// <see cref="Methods.FolkExport.Auto"/>; <see cref="ProbeReport.Encoder"/> says which) with k-NN and a linear classifier on labelled synthetic images
/// it never saw. Running the same experiment for several recipes compares their learning signal per second.
/// </summary>
public static class ProbeExperiment
{
    /// <summary>Asks the trainer to stop after the first iteration that ends past the budget (the trainer then
    /// finishes that optimiser step cleanly); forwards everything to the caller's callbacks.</summary>
    sealed class StopWhenSpent(System.Diagnostics.Stopwatch watch, TimeSpan budget, CancellationTokenSource stop, ITrainingCallbacks? inner) : ITrainingCallbacks
    {
        public void OnStep(StepReport report)
        {
            inner?.OnStep(report);
            if (watch.Elapsed >= budget) stop.Cancel();
        }

        public void OnMessage(string message) => inner?.OnMessage(message);
    }

    /// <summary>
    /// Epochs that fill <paramref name="budget"/> at the speed of two timed training iterations (after one untimed) of
    /// <paramref name="twin"/>, a run assembled from the same recipe whose state is thrown away.
    /// </summary>
    static int FittingEpochs(PretrainingRun twin, TimeSpan budget)
    {
        using var batch = twin.Loader.Epoch(0).First();
        using var onDevice = batch.To(twin.Device);
        using var step = twin.Trainer.NewOptimizationStep();
        var watch = new System.Diagnostics.Stopwatch();
        for (int i = 0; i < 3; i++)
        {
            if (i == 1) watch.Start();
            using var scope = NewDisposeScope();
            using var iteration = step.Run(onDevice, i, 0);
        }
        double perStep = watch.Elapsed.TotalSeconds / 2 * 1.05;               // + the loader and the metrics
        return Math.Max(1, (int)(budget.TotalSeconds / perStep / twin.Loader.BatchesPerEpoch));
    }

    /// <summary>Runs <paramref name="recipe"/> into <paramref name="runFolder"/> (which must be new or the same run).</summary>
    /// <remarks>The method is built once the run's length is known, so every schedule counted in epochs (FOLK's
    /// teacher temperature) spans the budgeted run, as it spans a <c>folk-lab pretrain</c> run.</remarks>
    public static ProbeReport Run(PretrainingRecipe recipe, ProbeExperimentOptions options, string runFolder, ITrainingCallbacks? callbacks = null)
    {
        var pretrain = new SyntheticImages(new SyntheticImagesOptions { Size = recipe.ImageSize, Count = options.PretrainImages, Seed = options.Seed });
        var seeded = recipe with { Trainer = recipe.Trainer with { Seed = options.Seed, RunFolder = runFolder } };
        var runOptions = new PretrainingRunOptions { Workers = 1 };
        var twin = PretrainingRun.Assemble(seeded, pretrain, "synthetic", options: runOptions);
        int epochs;
        using (twin.Method.Checkpointed) epochs = FittingEpochs(twin, options.Budget);
        var fitted = seeded with
        {
            Trainer = seeded.Trainer with { Epochs = epochs, WarmupEpochs = Math.Min(seeded.Trainer.WarmupEpochs, 0.1 * epochs), LogEverySteps = 1 },
        };
        using var budget = new CancellationTokenSource();
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var run = PretrainingRun.Assemble(fitted, pretrain, "synthetic", new StopWhenSpent(watch, options.Budget, budget, callbacks), runOptions);
        var result = run.Trainer.Run(budget.Token);
        double seconds = watch.Elapsed.TotalSeconds;

        var probeTrain = new SyntheticImages(new SyntheticImagesOptions { Size = recipe.ImageSize, Count = options.ProbeTrainImages, Seed = options.Seed + 1 });
        var probeTest = new SyntheticImages(new SyntheticImagesOptions { Size = recipe.ImageSize, Count = options.ProbeTestImages, Seed = options.Seed + 2 });
        using var train = Features.Extract(run.Method.Encoder, probeTrain, run.Device);
        using var test = Features.Extract(run.Method.Encoder, probeTest, run.Device);
        return new ProbeReport(recipe.Method.Name, result.Steps, seconds, result.FinalLoss,
            KnnProbe.Evaluate(train, test, options.Knn), LinearProbe.Evaluate(train, test, options.Linear)) { Encoder = run.Method.ExportedEncoder };
    }
}
