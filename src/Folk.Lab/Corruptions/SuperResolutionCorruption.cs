using Folk.Lab.Frequency;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace Folk.Lab.Corruptions;

/// <summary>Options of the super-resolution baseline.</summary>
public sealed record SuperResolutionOptions : ISizeScaledOptions<SuperResolutionOptions>
{
    /// <summary>Down-sampling factor (MFM configs/*/sr_pretrain__*.yaml: SR_FACTOR = 8, so 224 → 28 → 224); any
    /// value above 1, the low-resolution side being ⌊side / factor⌋.</summary>
    public double Factor { get; init; } = 8;

    /// <inheritdoc/>
    /// <remarks>The factor is a length in pixels whose cutoff is 1 / factor of the Nyquist frequency (the low-resolution
    /// image's Nyquist frequency): with <see cref="SizeScaling.MatchedEnergy"/>, 8 at 224² becomes 8^κ, 3.39 at 32²
    /// (32 → 9 → 32).</remarks>
    public SuperResolutionOptions ScaledTo(int imageSize, SizeScaling rule) => this with { Factor = rule.Factor(Factor, imageSize) };
}

/// <summary>
/// MFM's SR baseline: bicubic down-sampling by the factor, clamp to [0,1], bicubic back to the original size,
/// clamp (Jiahao000/MFM <c>models/mfm.py</c>, <c>MFM.interpolate_transform</c>: align_corners = False, no antialiasing).
/// Deterministic: the generator is not used.
/// </summary>
public sealed class SuperResolutionCorruption : ICorruption
{
    /// <summary>The options in use.</summary>
    public SuperResolutionOptions Options { get; }

    /// <summary>Creates the corruption; throws for a factor of 1 or less.</summary>
    public SuperResolutionCorruption(SuperResolutionOptions? options = null)
    {
        Options = options ?? new SuperResolutionOptions();
        if (!(Options.Factor > 1) || !double.IsFinite(Options.Factor))
            throw new ArgumentOutOfRangeException(nameof(Options.Factor), Options.Factor, $"Factor must be a finite number > 1; got {Options.Factor}.");
    }

    /// <inheritdoc/>
    public CorruptedBatch Apply(Tensor images, Generator generator, Data.BatchShard? shard = null) => new(Degrade(images), null);

    /// <summary>The degraded images, B×C×H×W in [0,1].</summary>
    public Tensor Degrade(Tensor images)
    {
        Guard.ImageBatch(images, nameof(images));
        long h = images.shape[2], w = images.shape[3];
        long lowH = (long)Math.Floor(h / Options.Factor), lowW = (long)Math.Floor(w / Options.Factor);
        if (lowH < 1 || lowW < 1)
            throw new ArgumentException($"Images of {h}×{w} are too small for Factor = {Options.Factor}.", nameof(images));
        using var scope = NewDisposeScope();
        var down = interpolate(images, new[] { lowH, lowW }, mode: InterpolationMode.Bicubic, align_corners: false)
            .clamp_(0.0, 1.0);
        var up = interpolate(down, new[] { h, w }, mode: InterpolationMode.Bicubic, align_corners: false).clamp_(0.0, 1.0);
        return up.MoveToOuterDisposeScope();
    }
}
