using static TorchSharp.torch;

namespace Folk.Lab.Data.Transforms;

/// <summary>
/// <c>(x − mean) / std</c> per channel (torchvision <c>Normalize</c>). The output is no longer in [0,1], so this is
/// the last step of a pipeline. Defaults: ImageNet's mean and std (<see cref="ImageNetNormalization"/>), which MFM
/// and DINO use.
/// </summary>
public sealed class Normalize : IImageTransform
{
    /// <summary>Per-channel mean (R, G, B).</summary>
    public IReadOnlyList<double> Mean { get; }

    /// <summary>Per-channel standard deviation (R, G, B).</summary>
    public IReadOnlyList<double> Std { get; }

    /// <summary>Creates the transform; null means ImageNet's statistics (timm IMAGENET_DEFAULT_MEAN / STD).</summary>
    public Normalize(IReadOnlyList<double>? mean = null, IReadOnlyList<double>? std = null)
    {
        Mean = (mean ?? ImageNetNormalization.Mean).ToArray();
        Std = (std ?? ImageNetNormalization.Std).ToArray();
        if (Mean.Count != 3) throw new ArgumentException($"mean must hold 3 values (R, G, B); got {Mean.Count}.", nameof(mean));
        if (Std.Count != 3) throw new ArgumentException($"std must hold 3 values (R, G, B); got {Std.Count}.", nameof(std));
        foreach (var s in Std) Guard.Positive(s, nameof(std));
    }

    /// <inheritdoc/>
    public Tensor Apply(Tensor image, Random random)
    {
        SingleImage.Check(image, nameof(image));
        using var scope = NewDisposeScope();
        var mean = tensor(Mean.ToArray(), dtype: image.dtype, device: image.device).view(3, 1, 1);
        var std = tensor(Std.ToArray(), dtype: image.dtype, device: image.device).view(3, 1, 1);
        return ((image - mean) / std).MoveToOuterDisposeScope();
    }
}
