using System.Diagnostics;
using Folk.Lab.Methods;
using Folk.Lab.Models;
using Folk.Lab.Training.Optim;
using TorchSharp;
using static TorchSharp.torch;

namespace Folk.Lab.Diagnostics;

/// <summary>One configuration of <see cref="PretrainBenchmark"/>.</summary>
/// <param name="Name">"vit-s/16@224", ….</param>
/// <param name="Encoder">The ViT.</param>
/// <param name="Batch">Images per step.</param>
/// <param name="Method">"mfm" or "folk".</param>
/// <param name="Folk">FOLK's settings (default <see cref="FolkConfig"/>, views sized to the encoder's input).</param>
public sealed record PretrainBenchmarkCase(string Name, VisionTransformerConfig Encoder, int Batch, string Method = "mfm", FolkConfig? Folk = null);

/// <summary>What one configuration measured.</summary>
/// <param name="Case">The configuration.</param>
/// <param name="SecondsPerStep">Median over the timed steps.</param>
/// <param name="FlopsPerImage">Analytic FLOPs of a training step per image (<see cref="Flops"/>).</param>
/// <param name="PeakBytes">Peak resident memory of the process while the case ran (<see cref="PeakMemory"/>; CPU).</param>
public sealed record PretrainTiming(PretrainBenchmarkCase Case, double SecondsPerStep, double FlopsPerImage, long PeakBytes = 0)
{
    /// <summary>Images per second.</summary>
    public double ImagesPerSecond => Case.Batch / SecondsPerStep;

    /// <summary>Achieved FLOP/s.</summary>
    public double FlopsPerSecond => FlopsPerImage * ImagesPerSecond;
}

/// <summary>
/// Times one complete MFM or FOLK pre-training step of a ViT (MFM: corrupt, normalise, forward, frequency loss;
/// FOLK: the same on two views plus both projection heads, the teacher's forward and the distillation loss; then
/// backward, gradient clipping, AdamW and, for FOLK, the teacher's EMA) on random images, after warm-up steps. The PyTorch side of <c>folk-lab bench pretrain</c> times the
/// same step written from the reference.
/// </summary>
public static class PretrainBenchmark
{
    /// <summary>The median seconds per step of <paramref name="case"/> on <paramref name="device"/>.</summary>
    /// <remarks>With <paramref name="bfloat16"/> the step runs inside <see cref="Autocast.BFloat16"/>, as the trainer runs
    /// it on CUDA: bfloat16 matmuls and attention, float32 master weights, FFTs and loss.</remarks>
    public static PretrainTiming Run(PretrainBenchmarkCase @case, Device device, int steps = 5, int warmup = 2, bool bfloat16 = false)
    {
        torch.manual_seed(0);
        PeakMemory.Reset();
        int size = @case.Encoder.ImageSize;
        var folk = @case.Folk ?? new FolkConfig();
        var folkConfig = folk with { Views = folk.Views with { Size = size } };
        IPretrainingMethod method = @case.Method switch
        {
            "mfm" => new Mfm(new VisionTransformer(@case.Encoder), new Masks.RadialMaskOptions().ScaledTo(size)),
            "folk" => new Methods.Folk(new VisionTransformer(@case.Encoder), new VisionTransformer(@case.Encoder), folkConfig, epochs: 300),
            _ => throw new ArgumentException($"Unknown method '{@case.Method}'; use mfm or folk.", nameof(@case)),
        };
        using var module = (nn.Module)method.Checkpointed;
        module.to(device);
        var groups = ParameterGroups.Build(method.Trainable, 0.05);
        using var optimizer = new AdamW(groups);
        var parameters = groups.SelectMany(g => g.Parameters).Select(p => p.Parameter).ToList();
        using var generator = new Generator(0);
        using var images = @case.Method == "folk"
            ? rand(new long[] { @case.Batch, folkConfig.Views.Layout.Length }, device: device)
            : rand(new long[] { @case.Batch, 3, size, size }, device: device);

        var times = new List<double>();
        for (int i = 0; i < warmup + steps; i++)
        {
            using var scope = NewDisposeScope();
            var watch = Stopwatch.StartNew();
            using (Autocast.For(bfloat16 ? ScalarType.BFloat16 : null))
            using (var terms = method.Loss(images, generator))
            {
                terms.Loss.backward();
                GradientClipping.ClipByNorm(parameters, 3.0);
                optimizer.Step(1e-4);
                optimizer.ZeroGrad();
                method.AfterOptimizerStep(i, warmup + steps);
                terms.Loss.item<float>();
            }
            if (i >= warmup) times.Add(watch.Elapsed.TotalSeconds);
        }
        double flops = @case.Method == "folk"
            ? Flops.FolkStep(@case.Encoder, folkConfig.Head, folkConfig.Views.Layout.GlobalViews)
            : Flops.TrainingStep(Flops.VisionTransformerForward(@case.Encoder));
        return new PretrainTiming(@case, FrequencyTimings.Median(times), flops, PeakMemory.Bytes());
    }
}
