using Folk.Lab.Frequency;
using static TorchSharp.torch;

namespace Folk.Lab.Masks;

/// <summary>Options of MFM's radial masks.</summary>
/// <remarks>Defaults: MFM <c>configs/vit_*/mfm_pretrain__*.yaml</c> (MASK_RADIUS1 = 16, MASK_RADIUS2 = 999,
/// SAMPLE_RATIO = 0.5); the ResNet-50 config uses SAMPLE_RATIO = 0.3 (<see cref="ResNet50"/>).</remarks>
public sealed record RadialMaskOptions
{
    /// <summary>Radius r1 in cycles per image (MFM MASK_RADIUS1 = 16 at 224²).</summary>
    public double Radius1 { get; init; } = 16;

    /// <summary>Outer radius r2, or null for none (MFM MASK_RADIUS2 = 999, larger than any radius at 224²).</summary>
    public double? Radius2 { get; init; }

    /// <summary>p_low: probability that an image gets the low-pass mask (MFM SAMPLE_RATIO = 0.5 for ViT).</summary>
    public double LowPassProbability { get; init; } = 0.5;

    /// <summary>MFM's ResNet-50 recipe: p_low = 0.3 (configs/resnet50/mfm_pretrain__resnet50__img224__300ep.yaml).</summary>
    public static RadialMaskOptions ResNet50 => new() { LowPassProbability = 0.3 };

    /// <summary>
    /// The same masks for an image of <paramref name="imageSize"/> pixels: radii scaled by size/224 so that they cut
    /// the same fraction of the spectrum. Folk.Lab's proposal for small CPU images, not the paper's.
    /// </summary>
    public RadialMaskOptions ScaledTo(int imageSize) => this with
    {
        Radius1 = Radius1 * imageSize / 224.0,
        Radius2 = Radius2 * imageSize / 224.0,
    };

    internal void Validate()
    {
        Guard.Positive(Radius1, nameof(Radius1));
        if (Radius2 is { } r2 && !(r2 > Radius1))
            throw new ArgumentOutOfRangeException(nameof(Radius2), r2, $"Radius2 must be > Radius1 = {Radius1}; got {r2}.");
        Guard.Probability(LowPassProbability, nameof(LowPassProbability));
    }
}

/// <summary>
/// MFM's frequency mask: a disc of radius r1 around DC, kept for a low-pass image and removed for a high-pass one,
/// drawn per image with probability p_low (Jiahao000/MFM <c>data/data_mfm.py</c>, <c>FreqMaskGenerator</c>).
/// </summary>
/// <remarks>
/// The disc is <c>d² &lt; r1²</c> with d the distance from DC in shifted coordinates (strict, as MFM's
/// <c>r1² ≤ d² &lt; r2²</c> ring is the removed part of the low-pass mask). At 224² and r1 = 16 the low-pass mask keeps
/// exactly 793 frequencies. Images must be square, as MFM's generator has one <c>input_size</c>.
/// </remarks>
/// <seealso href="../../notebooks/01-mask-gallery.ipynb">notebook 01, the mask gallery</seealso>
public sealed class RadialMask : IFrequencyMask
{
    /// <summary>The options this mask samples with.</summary>
    public RadialMaskOptions Options { get; }

    /// <summary>Creates the sampler; throws if the options are out of range.</summary>
    public RadialMask(RadialMaskOptions? options = null)
    {
        Options = options ?? new RadialMaskOptions();
        Options.Validate();
    }

    /// <summary>
    /// The low-pass-branch mask M of an N×N grid: 1 except on <c>r1² ≤ d² &lt; r2²</c> (float32, shifted layout).
    /// The high-pass branch is <c>1 − M</c>.
    /// </summary>
    public static Tensor LowPassBranch(long size, double radius1, double? radius2 = null, Device? device = null)
    {
        Guard.Positive(size, nameof(size));
        Guard.Positive(radius1, nameof(radius1));
        using var scope = NewDisposeScope();
        var squared = FrequencyGrid.SquaredRadius(size, size, device);
        var removed = squared.ge(radius1 * radius1);
        if (radius2 is { } r2) removed = removed.logical_and(squared.lt(r2 * r2));
        return removed.logical_not().to(ScalarType.Float32).MoveToOuterDisposeScope();
    }

    /// <inheritdoc/>
    public MaskBatch Sample(Tensor images, Generator generator, Data.BatchShard? shard = null)
    {
        Guard.ImageBatch(images, nameof(images));
        Guard.Square(images, nameof(images), "for MFM's radial mask (its generator takes one input_size)");
        long batch = images.shape[0], size = images.shape[^1];

        using var scope = NewDisposeScope();
        var lowPass = Data.BatchShard.Keep(shard, rand(Data.BatchShard.DrawCount(shard, batch), generator: generator, device: generator.device), batch)
            .lt(Options.LowPassProbability).cpu();
        var isLow = lowPass.data<bool>().ToArray();

        var m = LowPassBranch(size, Options.Radius1, Options.Radius2, images.device);
        var choose = lowPass.to(images.device).view(batch, 1, 1);
        var masks = where(choose, m, Mask.Complement(m)).MoveToOuterDisposeScope();

        var (low, high) = Options.Radius2 is null ? (MaskKind.LowPass, MaskKind.HighPass) : (MaskKind.BandStop, MaskKind.BandPass);
        var samples = isLow.Select(l => new MaskSample(l ? low : high, Options.Radius1)).ToArray();
        return new MaskBatch(masks, samples);
    }
}
