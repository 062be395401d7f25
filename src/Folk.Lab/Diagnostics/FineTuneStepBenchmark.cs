using System.Diagnostics;
using Folk.Lab.Models;
using Folk.Lab.Training.Optim;
using TorchSharp;
using static TorchSharp.torch;

namespace Folk.Lab.Diagnostics;

/// <summary>One configuration of <see cref="FineTuneStepBenchmark"/>.</summary>
/// <param name="Name">"vit-t/4@32", ….</param>
/// <param name="Encoder">The classifier: a ViT in its fine-tuning form (mean pooling → fc_norm → head).</param>
/// <param name="Batch">Images per step.</param>
public sealed record FineTuneStepCase(string Name, VisionTransformerConfig Encoder, int Batch)
{
    /// <summary>ViT-T (192-d, 3 heads; 12 blocks unless <paramref name="depth"/> says fewer) as a classifier of
    /// <paramref name="classes"/> classes at <paramref name="imageSize"/>² with patch <paramref name="patchSize"/>.</summary>
    public static FineTuneStepCase VitTiny(int imageSize, int patchSize, int batch, int classes = 1000, int depth = 12) =>
        new(depth == 12 ? $"vit-t/{patchSize}@{imageSize}" : $"vit-t-d{depth}/{patchSize}@{imageSize}",
            VisionTransformerConfig.Tiny16 with { ImageSize = imageSize, PatchSize = patchSize, Depth = depth, MeanPooling = true, Classes = classes }, batch);
}

/// <summary>What <see cref="FineTuneStepBenchmark"/> measured.</summary>
/// <param name="Case">The configuration.</param>
/// <param name="SecondsPerStep">Median over the timed steps.</param>
/// <param name="Losses">The loss of every step, warm-up included: on the fixed batch it falls, so the step trains.</param>
public sealed record FineTuneStepTiming(FineTuneStepCase Case, double SecondsPerStep, IReadOnlyList<double> Losses)
{
    /// <summary>Images per second.</summary>
    public double ImagesPerSecond => Case.Batch / SecondsPerStep;
}

/// <summary>
/// Times one fine-tuning step of a ViT classifier: forward (mean pooling → fc_norm → head), cross-entropy on hard
/// labels, backward, AdamW (β = 0.9, 0.999, MFM's fine-tuning betas; weight decay 0.05 outside norms, biases and
/// embeddings) and zeroing the gradients, on a fixed random batch after warm-up steps. It is the work of a fine-tuning
/// step without the data pipeline and without Mixup, drop-path and layer-wise rates (which change no shape); the
/// PyTorch side of <c>folk-lab bench finetune</c> times the same step written from the reference.
/// </summary>
public static class FineTuneStepBenchmark
{
    /// <summary>Times <paramref name="case"/> on <paramref name="device"/>: the median seconds per step, and each step's loss.</summary>
    /// <param name="case">The model and batch.</param>
    /// <param name="device">Where to run.</param>
    /// <param name="steps">Timed steps (the median is reported).</param>
    /// <param name="warmup">Untimed steps first.</param>
    /// <param name="bfloat16">Matrix products in bfloat16 (<see cref="Autocast"/>), as a run with
    /// <see cref="Training.TrainerConfig.MixedPrecision"/> on CUDA or <see cref="Training.TrainerConfig.CpuMixedPrecision"/>
    /// on a CPU that multiplies bfloat16 natively computes them.</param>
    public static FineTuneStepTiming Run(FineTuneStepCase @case, Device device, int steps = 3, int warmup = 1, bool bfloat16 = false)
    {
        ArgumentNullException.ThrowIfNull(@case);
        Guard.Positive(steps, nameof(steps));
        if (@case.Encoder.Classes < 1 || !@case.Encoder.MeanPooling)
            throw new ArgumentException($"{@case.Name}: a fine-tuning step needs a classifier (Classes > 0, MeanPooling = true).", nameof(@case));
        manual_seed(0);
        using var model = new VisionTransformer(@case.Encoder);
        model.to(device);
        model.train();
        using var optimizer = new AdamW(ParameterGroups.Build(model, 0.05), beta1: 0.9, beta2: 0.999);
        int size = @case.Encoder.ImageSize;
        using var images = rand(new long[] { @case.Batch, 3, size, size }, device: device);
        using var labels = randint(@case.Encoder.Classes, new long[] { @case.Batch }, device: device);
        var times = new List<double>();
        var losses = new List<double>();
        for (int i = 0; i < warmup + steps; i++)
        {
            var watch = Stopwatch.StartNew();
            using (NewDisposeScope())
            {
                Tensor loss;
                using (Autocast.For(bfloat16 ? ScalarType.BFloat16 : null))
                    loss = nn.functional.cross_entropy(Autocast.Float(model.forward(images)), labels);
                loss.backward();
                optimizer.Step(1e-3);
                optimizer.ZeroGrad();
                losses.Add(loss.item<float>());                       // waits for the device
            }
            if (i >= warmup) times.Add(watch.Elapsed.TotalSeconds);
        }
        times.Sort();
        return new FineTuneStepTiming(@case, times[times.Count / 2], losses);
    }
}
