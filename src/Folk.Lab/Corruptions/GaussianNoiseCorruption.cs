using Folk.Lab.Frequency;
using static TorchSharp.torch;

namespace Folk.Lab.Corruptions;

/// <summary>Options of the denoising baseline.</summary>
public sealed record GaussianNoiseOptions : ISizeScaledOptions<GaussianNoiseOptions>
{
    /// <summary>σ on the [0,1] scale (MFM configs/*/denoise_pretrain__*.yaml: GAUSSIAN_SIGMA = [75, 75] on 0–255).</summary>
    public double Sigma { get; init; } = 75.0 / 255.0;

    /// <inheritdoc/>
    /// <remarks>Unchanged at every size: white noise of σ per pixel has the same power at every frequency, so it covers
    /// every band of the spectrum alike at any size, and σ is an intensity, not a length.</remarks>
    public GaussianNoiseOptions ScaledTo(int imageSize, SizeScaling rule)
    {
        SizeScalingRules.Exponent(imageSize);                                 // the same check of the size as the others
        return this;
    }
}

/// <summary>
/// MFM's Denoise baseline: independent Gaussian noise per pixel and channel (colour noise, gray-noise probability
/// 0) added to the [0,1] image, not clipped (Jiahao000/MFM <c>data/random_degradations.py</c> and the denoise configs).
/// </summary>
public sealed class GaussianNoiseCorruption : ICorruption
{
    /// <summary>The options in use.</summary>
    public GaussianNoiseOptions Options { get; }

    /// <summary>Creates the corruption; throws for a negative σ.</summary>
    public GaussianNoiseCorruption(GaussianNoiseOptions? options = null)
    {
        Options = options ?? new GaussianNoiseOptions();
        Guard.NonNegative(Options.Sigma, nameof(Options.Sigma));
    }

    /// <inheritdoc/>
    public CorruptedBatch Apply(Tensor images, Generator generator, Data.BatchShard? shard = null)
    {
        Guard.ImageBatch(images, nameof(images));
        using var scope = NewDisposeScope();
        var shape = images.shape.ToArray();
        shape[0] = Data.BatchShard.DrawCount(shard, shape[0]);
        var noise = Data.BatchShard.Keep(shard, randn(shape, dtype: images.dtype, generator: generator, device: generator.device), images.shape[0]).to(images.device);
        return new CorruptedBatch((images + noise * Options.Sigma).MoveToOuterDisposeScope(), null);
    }
}
