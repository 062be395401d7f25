using static TorchSharp.torch;

namespace Folk.Lab.Data.Transforms;

/// <summary>What <see cref="Mixup"/> did to a batch.</summary>
public enum MixKind
{
    /// <summary>Nothing (λ = 1): the mixing coin came up tails.</summary>
    None,
    /// <summary>Mixup: <c>λ·x + (1 − λ)·flip(x)</c>.</summary>
    Mixup,
    /// <summary>CutMix: a box pasted from <c>flip(x)</c>.</summary>
    CutMix,
}

/// <summary>Which λ CutMix reports for its labels.</summary>
public enum CutMixLambda
{
    /// <summary><c>1 − box area / image area</c> after the box is clipped to the image, the true share of each image's
    /// pixels (timm <c>Mixup(correct_lam=True)</c>, its default, which MFM keeps).</summary>
    ClippedBoxArea,
    /// <summary>The λ drawn from Beta(α, α), whatever the clipping left (timm <c>correct_lam=False</c>).</summary>
    Drawn,
}

/// <summary>Options of <see cref="Mixup"/>.</summary>
/// <remarks>Defaults: MFM's fine-tuning (config.py <c>_C.AUG.MIXUP = 0.8</c>, <c>CUTMIX = 1.0</c>,
/// <c>CUTMIX_MINMAX = None</c>, <c>MIXUP_PROB = 1.0</c>, <c>MIXUP_SWITCH_PROB = 0.5</c>, <c>MIXUP_MODE = 'batch'</c>,
/// <c>_C.MODEL.LABEL_SMOOTHING = 0.1</c>; data/data_finetune.py passes them to timm's <c>Mixup</c>). Only timm's
/// 'batch' mode (one λ for the whole batch) is implemented, and CutMix boxes come from λ, not from a min/max ratio.</remarks>
public sealed record MixupOptions
{
    /// <summary>α of Mixup's Beta(α, α); 0 disables Mixup (MFM <c>AUG.MIXUP = 0.8</c>).</summary>
    public double MixupAlpha { get; init; } = 0.8;

    /// <summary>α of CutMix's Beta(α, α); 0 disables CutMix (MFM <c>AUG.CUTMIX = 1.0</c>).</summary>
    public double CutMixAlpha { get; init; } = 1.0;

    /// <summary>Probability of mixing a batch at all (MFM <c>AUG.MIXUP_PROB = 1.0</c>).</summary>
    public double Probability { get; init; } = 1.0;

    /// <summary>Probability of CutMix rather than Mixup when both are enabled (MFM <c>AUG.MIXUP_SWITCH_PROB = 0.5</c>).</summary>
    public double SwitchProbability { get; init; } = 0.5;

    /// <summary>ε of the smoothed one-hot targets: off value ε / K, on value 1 − ε + ε / K (MFM
    /// <c>MODEL.LABEL_SMOOTHING = 0.1</c>).</summary>
    public double LabelSmoothing { get; init; } = 0.1;

    /// <summary>K, the number of classes (MFM data/data_finetune.py: 1000 for ImageNet).</summary>
    public int Classes { get; init; } = 1000;

    /// <summary>CutMix's λ (timm <c>Mixup</c> default <c>correct_lam=True</c>).</summary>
    public CutMixLambda Lambda { get; init; } = CutMixLambda.ClippedBoxArea;

    internal void Validate()
    {
        Guard.NonNegative(MixupAlpha, nameof(MixupAlpha));
        Guard.NonNegative(CutMixAlpha, nameof(CutMixAlpha));
        if (MixupAlpha == 0 && CutMixAlpha == 0)
            throw new ArgumentException("At least one of MixupAlpha and CutMixAlpha must be > 0; got both 0.", nameof(MixupAlpha));
        if (!double.IsFinite(MixupAlpha) || !double.IsFinite(CutMixAlpha))
            throw new ArgumentOutOfRangeException(nameof(MixupAlpha), (MixupAlpha, CutMixAlpha), $"The alphas must be finite; got ({MixupAlpha}, {CutMixAlpha}).");
        Guard.Probability(Probability, nameof(Probability));
        Guard.Probability(SwitchProbability, nameof(SwitchProbability));
        if (!(LabelSmoothing >= 0 && LabelSmoothing < 1))
            throw new ArgumentOutOfRangeException(nameof(LabelSmoothing), LabelSmoothing, $"LabelSmoothing must be in [0, 1); got {LabelSmoothing}.");
        Guard.Positive(Classes, nameof(Classes));
    }
}

/// <summary>
/// One draw of <see cref="Mixup"/> for a batch.
/// </summary>
/// <param name="Kind">What was done.</param>
/// <param name="Lambda">λ, the share of each image's own label in its target (after CutMix's correction).</param>
/// <param name="Box">CutMix's box, clipped to the image (rows and columns taken from the flipped batch).</param>
public readonly record struct MixupDraw(MixKind Kind, double Lambda, CropBox? Box = null);

/// <summary>A mixed batch: the images and their soft targets, with the draw that made them.</summary>
/// <param name="Images">B×C×H×W, on the input's device.</param>
/// <param name="Targets">B×K float32 soft targets, each row summing to 1.</param>
/// <param name="Draw">What was drawn.</param>
public sealed record MixedBatch(Tensor Images, Tensor Targets, MixupDraw Draw) : IDisposable
{
    /// <inheritdoc/>
    public void Dispose()
    {
        Images.Dispose();
        Targets.Dispose();
    }
}

/// <summary>
/// Mixup (Zhang et al., 2018) and CutMix (Yun et al., 2019) as timm 0.4.12's <c>Mixup</c> applies them in 'batch' mode
/// (<c>timm/data/mixup.py</c>), the batch-level augmentation of MFM's fine-tuning. Each image is mixed with its partner
/// in the reversed batch, <c>flip(x)[i] = x[B − 1 − i]</c>, and its target is <c>λ·y + (1 − λ)·flip(y)</c> with
/// label-smoothed one-hot rows y.
/// </summary>
/// <remarks>
/// <para>It runs on the collated batch on the training device (after <see cref="RandomErasing"/>, on normalised
/// images), not per image in the loader: the draw is one per batch, from the <see cref="Random"/> passed in.</para>
/// <para>The draw: with probability p mix at all; then CutMix with probability <c>SwitchProbability</c> when both are
/// enabled, λ ~ Beta(α, α) of the chosen one. CutMix's box has sides <c>⌊H·√(1 − λ)⌋</c>, <c>⌊W·√(1 − λ)⌋</c> around a
/// uniformly drawn centre (timm <c>rand_bbox</c>: <c>[c − ⌊s/2⌋, c + ⌊s/2⌋)</c> clipped to the image), and λ becomes
/// <c>1 − box area / (H·W)</c> (<see cref="CutMixLambda"/>). The batch size must be even, as timm asserts.</para>
/// </remarks>
public sealed class Mixup
{
    /// <summary>The options in use.</summary>
    public MixupOptions Options { get; }

    /// <summary>Creates the batch transform (default: MFM's fine-tuning); throws for out-of-range options.</summary>
    public Mixup(MixupOptions? options = null)
    {
        Options = options ?? new MixupOptions();
        Options.Validate();
    }

    /// <summary>Draws and applies one mix (the images are not modified; the result holds new tensors).</summary>
    /// <param name="images">B×C×H×W, B even.</param>
    /// <param name="labels">B int64 class indices in [0, K).</param>
    /// <param name="random">The source of the draw.</param>
    public MixedBatch Apply(Tensor images, Tensor labels, Random random)
    {
        Guard.ImageBatch(images, nameof(images));
        return Apply(images, labels, Sample(images.shape[2], images.shape[3], random));
    }

    /// <summary>Draws a mix for images of <paramref name="height"/> × <paramref name="width"/> pixels.</summary>
    public MixupDraw Sample(long height, long width, Random random)
    {
        Guard.Positive(height, nameof(height));
        Guard.Positive(width, nameof(width));
        ArgumentNullException.ThrowIfNull(random);
        if (!(random.NextDouble() < Options.Probability)) return new MixupDraw(MixKind.None, 1.0);
        bool both = Options.MixupAlpha > 0 && Options.CutMixAlpha > 0;
        var kind = both ? (random.NextDouble() < Options.SwitchProbability ? MixKind.CutMix : MixKind.Mixup)
            : Options.MixupAlpha > 0 ? MixKind.Mixup : MixKind.CutMix;
        double alpha = kind == MixKind.CutMix ? Options.CutMixAlpha : Options.MixupAlpha;
        double lambda = RandomVariates.Beta(random, alpha, alpha);
        if (kind == MixKind.Mixup) return new MixupDraw(kind, lambda);

        double ratio = Math.Sqrt(1 - lambda);
        int cutH = (int)(height * ratio), cutW = (int)(width * ratio);
        int cy = random.Next(0, (int)height), cx = random.Next(0, (int)width);
        int top = Math.Clamp(cy - cutH / 2, 0, (int)height), bottom = Math.Clamp(cy + cutH / 2, 0, (int)height);
        int left = Math.Clamp(cx - cutW / 2, 0, (int)width), right = Math.Clamp(cx + cutW / 2, 0, (int)width);
        var box = new CropBox(top, left, bottom - top, right - left);
        if (Options.Lambda == CutMixLambda.ClippedBoxArea) lambda = 1.0 - (double)box.Height * box.Width / (height * width);
        return new MixupDraw(kind, lambda, box);
    }

    /// <summary>Applies a given draw: the deterministic half of <see cref="Apply(Tensor, Tensor, Random)"/>.</summary>
    public MixedBatch Apply(Tensor images, Tensor labels, MixupDraw draw)
    {
        Guard.ImageBatch(images, nameof(images));
        if (images.shape[0] % 2 != 0)
            throw new ArgumentException($"images must hold an even number of images (timm's Mixup pairs image i with B − 1 − i); got {images.shape[0]}.", nameof(images));
        if (!(draw.Lambda >= 0 && draw.Lambda <= 1))
            throw new ArgumentOutOfRangeException(nameof(draw), draw, $"draw.Lambda must be in [0, 1]; got {draw.Lambda}.");
        using var scope = NewDisposeScope();
        var targets = Targets(labels, draw.Lambda, Options.Classes, Options.LabelSmoothing);
        if (targets.shape[0] != images.shape[0])
            throw new ArgumentException($"labels must hold one class per image ({images.shape[0]}); got {labels.shape[0]}.", nameof(labels));
        Tensor mixed;
        switch (draw.Kind)
        {
            case MixKind.None:
                mixed = images.clone();
                break;
            case MixKind.Mixup:
                mixed = images * draw.Lambda + images.flip(0) * (1 - draw.Lambda);
                break;
            default:
                var box = draw.Box ?? throw new ArgumentException("A CutMix draw needs its box.", nameof(draw));
                if (box.Top < 0 || box.Left < 0 || box.Height < 0 || box.Width < 0 || box.Top + box.Height > images.shape[2] || box.Left + box.Width > images.shape[3])
                    throw new ArgumentOutOfRangeException(nameof(draw), box, $"the box must lie inside the {images.shape[2]}×{images.shape[3]} images; got {box}.");
                mixed = images.clone();
                var pasted = images.flip(0).narrow(2, box.Top, box.Height).narrow(3, box.Left, box.Width);
                mixed.narrow(2, box.Top, box.Height).narrow(3, box.Left, box.Width).copy_(pasted);
                break;
        }
        return new MixedBatch(mixed.MoveToOuterDisposeScope(), targets.MoveToOuterDisposeScope(), draw);
    }

    /// <summary>
    /// timm's <c>mixup_target</c>: <c>λ·y + (1 − λ)·flip(y)</c>, where y holds the smoothed one-hot rows, off value
    /// <c>ε / K</c> and on value <c>1 − ε + ε / K</c>. B×K float32 on the labels' device; each row sums to 1.
    /// </summary>
    /// <param name="labels">B int64 class indices in [0, K).</param>
    /// <param name="lambda">λ in [0, 1].</param>
    /// <param name="classes">K.</param>
    /// <param name="smoothing">ε in [0, 1).</param>
    public static Tensor Targets(Tensor labels, double lambda, int classes, double smoothing)
    {
        ArgumentNullException.ThrowIfNull(labels);
        if (labels.dim() != 1 || labels.dtype != ScalarType.Int64)
            throw new ArgumentException($"labels must be a 1-D int64 tensor of class indices; got shape {Shape.Format(labels)} and {labels.dtype}.", nameof(labels));
        Guard.Positive(classes, nameof(classes));
        if (!(lambda >= 0 && lambda <= 1)) throw new ArgumentOutOfRangeException(nameof(lambda), lambda, $"lambda must be in [0, 1]; got {lambda}.");
        if (!(smoothing >= 0 && smoothing < 1)) throw new ArgumentOutOfRangeException(nameof(smoothing), smoothing, $"smoothing must be in [0, 1); got {smoothing}.");
        using var scope = NewDisposeScope();
        if (labels.numel() > 0)
        {
            long min = labels.min().item<long>(), max = labels.max().item<long>();
            if (min < 0 || max >= classes)
                throw new ArgumentOutOfRangeException(nameof(labels), $"labels must lie in [0, {classes}); got values from {min} to {max}.");
        }
        double off = smoothing / classes, on = 1.0 - smoothing + off;
        Tensor OneHot(Tensor y) => full(new long[] { y.shape[0], classes }, off, dtype: ScalarType.Float32, device: y.device)
            .scatter_(1, y.view(-1, 1), full(new long[] { y.shape[0], 1 }, on, dtype: ScalarType.Float32, device: y.device));
        return (OneHot(labels) * lambda + OneHot(labels.flip(0)) * (1.0 - lambda)).MoveToOuterDisposeScope();
    }
}
