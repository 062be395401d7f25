using Folk.Lab.Frequency;
using static TorchSharp.torch;

namespace Folk.Lab.Masks;

/// <summary>Options of the uniform random frequency mask.</summary>
public sealed record RandomFrequencyMaskOptions
{
    /// <summary>Fraction of frequencies removed (0.5 by default: a neutral middle, not a paper value; the
    /// random-mask baseline is Folk.Lab's ablation, neither paper ships one).</summary>
    public double MaskRatio { get; init; } = 0.5;
}

/// <summary>
/// Removes a uniformly random set of frequencies from each image: the content-blind, shape-blind baseline against
/// which radial (MFM) and magnitude-ranked (FOLK) masks are compared.
/// </summary>
/// <remarks>
/// Frequencies are drawn in Hermitian pairs (a frequency and its partner −k share one uniform score), so the masks
/// are symmetric and the filtered images real. Each pair, and each self-paired frequency (DC, Nyquist), is equally
/// likely to be kept. The kept count is <c>round((1 − ratio)·H·W)</c>, or one more when the last kept frequency's
/// partner is needed to keep the mask symmetric.
/// </remarks>
public sealed class RandomFrequencyMask : IFrequencyMask
{
    /// <summary>The options this mask samples with.</summary>
    public RandomFrequencyMaskOptions Options { get; }

    /// <summary>Creates the sampler; throws if the ratio is outside (0, 1).</summary>
    public RandomFrequencyMask(RandomFrequencyMaskOptions? options = null)
    {
        Options = options ?? new RandomFrequencyMaskOptions();
        Guard.OpenUnitInterval(Options.MaskRatio, nameof(Options.MaskRatio));
    }

    /// <inheritdoc/>
    public MaskBatch Sample(Tensor images, Generator generator, Data.BatchShard? shard = null)
    {
        Guard.ImageBatch(images, nameof(images));
        long batch = images.shape[0], h = images.shape[2], w = images.shape[3];
        long keep = Math.Clamp((long)Math.Round((1 - Options.MaskRatio) * h * w), 1, h * w);

        using var scope = NewDisposeScope();
        var noise = Data.BatchShard.Keep(shard, rand(new[] { Data.BatchShard.DrawCount(shard, batch), h, w }, generator: generator, device: generator.device), batch).to(images.device);
        // One score per Hermitian pair: the score stored at the pair's lower flat index.
        var index = arange(h * w, device: images.device).view(h, w);
        var canonical = index.le(FrequencyGrid.Mirror(index));
        var scores = where(canonical, noise, FrequencyGrid.Mirror(noise));
        var masks = LargestFrequencies.Keep(scores, Enumerable.Repeat(keep, (int)batch).ToArray()).MoveToOuterDisposeScope();
        var samples = Enumerable.Repeat(new MaskSample(MaskKind.Random, Options.MaskRatio), (int)batch).ToArray();
        return new MaskBatch(masks, samples);
    }
}
