using System.Diagnostics;
using Folk.Lab.Data;
using Folk.Lab.Experiments;
using Folk.Lab.Methods;
using Folk.Lab.Models;
using Folk.Lab.Training;
using static TorchSharp.torch;

namespace Folk.Lab.Diagnostics;

/// <summary>One configuration of <see cref="PretrainBenchmark"/>.</summary>
/// <param name="Name">"vit-s/16@224", ….</param>
/// <param name="Model">The encoder's catalogue name ("vit-t", "vit-s", "vit-b").</param>
/// <param name="ImageSize">Input side in pixels.</param>
/// <param name="Batch">Images per step.</param>
/// <param name="Method">The method's settings (default <see cref="MfmConfig"/>).</param>
/// <param name="PatchSize">ViT patch size (null: the model's 16).</param>
/// <param name="Depth">ViT blocks (null: the model's 12).</param>
public sealed record PretrainBenchmarkCase(string Name, string Model, int ImageSize, int Batch, MethodConfig? Method = null, int? PatchSize = null, int? Depth = null)
{
    /// <summary>The ViT this case trains.</summary>
    public VisionTransformerConfig Encoder => ModelCatalog.VisionTransformerFor(Model, ImageSize, PatchSize, depth: Depth)
        ?? throw new ArgumentException($"{Name}: the pre-training benchmark times ViTs; '{Model}' is not one.");

    /// <summary>The method's settings in use.</summary>
    public MethodConfig MethodConfig => Method ?? new MfmConfig();
}

/// <summary>What one configuration measured.</summary>
/// <param name="Case">The configuration.</param>
/// <param name="SecondsPerStep">Median over the timed steps.</param>
/// <param name="FlopsPerImage">Analytic FLOPs of a training step per image (<see cref="Flops"/>).</param>
/// <param name="PeakBytes">Peak resident memory of the process while the case ran (<see cref="PeakMemory"/>; CPU).</param>
/// <param name="BaselineBytes">Resident memory of the process when the case started, before its model was built (0:
/// not measured).</param>
public sealed record PretrainTiming(PretrainBenchmarkCase Case, double SecondsPerStep, double FlopsPerImage, long PeakBytes = 0, long BaselineBytes = 0)
{
    /// <summary>What the case added to the process's memory at its peak: model, optimiser state, batch and the step's
    /// activations (<see cref="PeakBytes"/> − <see cref="BaselineBytes"/>; host memory, so on a GPU only the host's share).</summary>
    public long AddedBytes => Math.Max(0, PeakBytes - BaselineBytes);

    /// <summary>Images per second.</summary>
    public double ImagesPerSecond => Case.Batch / SecondsPerStep;

    /// <summary>Achieved FLOP/s.</summary>
    public double FlopsPerSecond => FlopsPerImage * ImagesPerSecond;
}

/// <summary>
/// Times the trainer's own pre-training step (<see cref="OptimizationStep"/>: the method's loss, backward, clipping at
/// 3.0, AdamW with MFM's groups and, for FOLK, the teacher's EMA) of a ViT, on one batch of synthetic images through
/// the method's augmentation, after warm-up steps. The run is assembled from the method's official recipe by
/// <see cref="PretrainingRun.Assemble"/>, as every run is. The PyTorch side of <c>folk-lab bench pretrain</c> times
/// the same step written from the reference.
/// </summary>
public static class PretrainBenchmark
{
    /// <summary>The median seconds per step of <paramref name="case"/> on <paramref name="device"/>.</summary>
    /// <remarks>With <paramref name="bfloat16"/> the step runs with bfloat16 matrix products and attention, float32
    /// master weights, FFTs and loss, as the trainer runs it on CUDA.</remarks>
    public static PretrainTiming Run(PretrainBenchmarkCase @case, Device device, int steps = 5, int warmup = 2, bool bfloat16 = false)
    {
        PeakMemory.Reset();
        long baseline = PeakMemory.Resident();
        var runFolder = Directory.CreateTempSubdirectory("folk-lab-bench-").FullName;
        try
        {
            var recipe = new PretrainingRecipe
            {
                Method = @case.MethodConfig, Model = @case.Model, ImageSize = @case.ImageSize, PatchSize = @case.PatchSize, Depth = @case.Depth, BatchSize = @case.Batch,
                Trainer = new TrainerConfig { Device = device.ToString(), MixedPrecision = bfloat16, CpuMixedPrecision = bfloat16, RunFolder = runFolder },
            };
            var data = new SyntheticImages(new SyntheticImagesOptions { Size = @case.ImageSize, Count = @case.Batch });
            var run = PretrainingRun.Assemble(recipe, data, "synthetic", options: new PretrainingRunOptions { Workers = 1 });
            using var module = run.Method.Checkpointed;
            using var batch = run.Loader.Epoch(0).First();
            using var onDevice = batch.To(run.Device);
            using var step = run.Trainer.NewOptimizationStep();
            var times = new List<double>();
            for (int i = 0; i < warmup + steps; i++)
            {
                using var scope = NewDisposeScope();
                var watch = Stopwatch.StartNew();
                using (var iteration = step.Run(onDevice, i, 1e-4)) { }
                if (i >= warmup) times.Add(watch.Elapsed.TotalSeconds);
            }
            double flops = run.Method is Methods.Folk folk
                ? Flops.FolkStep(@case.Encoder, folk.Config.Head, folk.Layout.GlobalViews)
                : Flops.TrainingStep(Flops.VisionTransformerForward(@case.Encoder));
            return new PretrainTiming(@case, FrequencyTimings.Median(times), flops, PeakMemory.Bytes(), baseline);
        }
        finally
        {
            Directory.Delete(runFolder, recursive: true);
        }
    }
}
