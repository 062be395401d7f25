using System.Diagnostics;
using Folk.Lab.Data;
using Folk.Lab.Frequency;
using Folk.Lab.Losses;
using Folk.Lab.Masks;
using static TorchSharp.torch;

namespace Folk.Lab.Diagnostics;

/// <summary>What <see cref="FrequencyBenchmark"/> measures.</summary>
/// <remarks>The default workload is one MFM batch at the paper's size (Jiahao000/MFM <c>config.py</c>: 128 per GPU; 64 here, the
/// CPU-sized half) at 224².</remarks>
public sealed record FrequencyBenchmarkOptions
{
    /// <summary>Images per batch.</summary>
    public int Batch { get; init; } = 64;

    /// <summary>Image side in pixels (MFM: 224).</summary>
    public int Size { get; init; } = 224;

    /// <summary>Timed repetitions; the median is reported.</summary>
    public int Repeats { get; init; } = 10;

    /// <summary>Untimed repetitions first (allocator and FFT-plan warm-up).</summary>
    public int Warmup { get; init; } = 2;

    /// <summary>Seed of the images and masks.</summary>
    public long Seed { get; init; }
}

/// <summary>Seconds per batch of each repetition, and the derived throughput.</summary>
/// <param name="Forward">Corruption + normalisation + masked frequency loss.</param>
/// <param name="ForwardBackward">The same plus the loss gradient with respect to the prediction.</param>
/// <param name="Batch">Images per batch.</param>
public sealed record FrequencyTimings(double[] Forward, double[] ForwardBackward, int Batch)
{
    /// <summary>Images per second from the median forward time.</summary>
    public double ForwardImagesPerSecond => Batch / Median(Forward);

    /// <summary>Images per second from the median forward + backward time.</summary>
    public double ForwardBackwardImagesPerSecond => Batch / Median(ForwardBackward);

    /// <summary>The median of a list of timings.</summary>
    public static double Median(IReadOnlyList<double> values)
    {
        var sorted = values.OrderBy(v => v).ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}

/// <summary>
/// Times MFM's per-batch frequency work on the CPU, as <c>MFM.forward</c> does it minus the network: corrupt the
/// batch with its masks, normalise input and target, and compute the masked frequency loss (the prediction is the
/// normalised corrupted image, standing in for the model's output). Masks are sampled before timing, as MFM's data
/// loader does. The PyTorch side of <c>folk-lab bench freq</c> times the same steps written as the reference.
/// </summary>
public static class FrequencyBenchmark
{
    /// <summary>Runs the benchmark with the current torch thread count.</summary>
    public static FrequencyTimings Run(FrequencyBenchmarkOptions options, IProgress<string>? progress = null)
    {
        using var scope = NewDisposeScope();
        using var g = new Generator((ulong)options.Seed);
        var images = rand(new long[] { options.Batch, 3, options.Size, options.Size }, generator: g);
        var masks = new RadialMask(new RadialMaskOptions().ScaledTo(options.Size)).Sample(images, g).Masks;

        double Step(bool backward)
        {
            using var step = NewDisposeScope();
            var watch = Stopwatch.StartNew();
            var corrupted = FrequencyFilter.Apply(images, masks);
            var pred = ImageNetNormalization.Normalize(corrupted);
            if (backward) pred.requires_grad_(true);
            var target = ImageNetNormalization.Normalize(images);
            var loss = FrequencyLoss.Masked(pred, target, masks);
            if (backward) loss.backward();
            else loss.item<float>();
            return watch.Elapsed.TotalSeconds;
        }

        var forward = new double[options.Repeats];
        var both = new double[options.Repeats];
        for (int i = 0; i < options.Warmup; i++) { Step(false); Step(true); }
        for (int i = 0; i < options.Repeats; i++)
        {
            forward[i] = Step(false);
            both[i] = Step(true);
            progress?.Report($"repeat {i + 1}/{options.Repeats}: {forward[i] * 1000:F1} ms forward, {both[i] * 1000:F1} ms with backward");
        }
        return new FrequencyTimings(forward, both, options.Batch);
    }
}
