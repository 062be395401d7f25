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
public sealed record PretrainBenchmarkCase(string Name, VisionTransformerConfig Encoder, int Batch);

/// <summary>What one configuration measured.</summary>
/// <param name="Case">The configuration.</param>
/// <param name="SecondsPerStep">Median over the timed steps.</param>
/// <param name="FlopsPerImage">Analytic FLOPs of a training step per image (<see cref="Flops"/>).</param>
public sealed record PretrainTiming(PretrainBenchmarkCase Case, double SecondsPerStep, double FlopsPerImage)
{
    /// <summary>Images per second.</summary>
    public double ImagesPerSecond => Case.Batch / SecondsPerStep;

    /// <summary>Achieved FLOP/s.</summary>
    public double FlopsPerSecond => FlopsPerImage * ImagesPerSecond;
}

/// <summary>
/// Times one complete MFM pre-training step of a ViT (corrupt, normalise, forward, frequency loss, backward, gradient
/// clipping, AdamW) on random images, after warm-up steps. The PyTorch side of <c>folk-lab bench pretrain</c> times the
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
        using var mfm = new Mfm(new VisionTransformer(@case.Encoder), new Masks.RadialMaskOptions().ScaledTo(@case.Encoder.ImageSize));
        mfm.to(device);
        var groups = ParameterGroups.Build(mfm, 0.05);
        using var optimizer = new AdamW(groups);
        var parameters = groups.SelectMany(g => g.Parameters).Select(p => p.Parameter).ToList();
        using var generator = new Generator(0);
        using var images = rand(new long[] { @case.Batch, 3, @case.Encoder.ImageSize, @case.Encoder.ImageSize }, device: device);

        var times = new List<double>();
        for (int i = 0; i < warmup + steps; i++)
        {
            using var scope = NewDisposeScope();
            var watch = Stopwatch.StartNew();
            using (Autocast.For(bfloat16 ? ScalarType.BFloat16 : null))
            using (var terms = mfm.Loss(images, generator))
            {
                terms.Loss.backward();
                GradientClipping.ClipByNorm(parameters, 3.0);
                optimizer.Step(1e-4);
                optimizer.ZeroGrad();
                terms.Loss.item<float>();
            }
            if (i >= warmup) times.Add(watch.Elapsed.TotalSeconds);
        }
        return new PretrainTiming(@case, FrequencyTimings.Median(times), Flops.TrainingStep(Flops.VisionTransformerForward(@case.Encoder)));
    }
}
