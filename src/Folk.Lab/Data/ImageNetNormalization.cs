using static TorchSharp.torch;

namespace Folk.Lab.Data;

/// <summary>
/// timm's <c>IMAGENET_DEFAULT_MEAN/STD</c>, the normalisation MFM applies inside the model to the corrupted input and
/// to the clean target alike, after corruption (Jiahao000/MFM <c>models/mfm.py</c>, <c>MFM.forward</c>).
/// </summary>
public static class ImageNetNormalization
{
    /// <summary>Per-channel mean (R, G, B): 0.485, 0.456, 0.406.</summary>
    public static IReadOnlyList<double> Mean { get; } = new[] { 0.485, 0.456, 0.406 };

    /// <summary>Per-channel standard deviation (R, G, B): 0.229, 0.224, 0.225.</summary>
    public static IReadOnlyList<double> Std { get; } = new[] { 0.229, 0.224, 0.225 };

    /// <summary><c>(x − mean) / std</c> per channel of a B×3×H×W batch, in its dtype and on its device.</summary>
    public static Tensor Normalize(Tensor images)
    {
        using var scope = NewDisposeScope();
        var (mean, std) = Statistics(images);
        return ((images - mean) / std).MoveToOuterDisposeScope();
    }

    /// <summary><c>x · std + mean</c>: back to [0,1] pixels, for display.</summary>
    public static Tensor Denormalize(Tensor images)
    {
        using var scope = NewDisposeScope();
        var (mean, std) = Statistics(images);
        return (images * std + mean).MoveToOuterDisposeScope();
    }

    static (Tensor Mean, Tensor Std) Statistics(Tensor images)
    {
        Guard.ImageBatch(images, nameof(images));
        if (images.shape[1] != 3)
            throw new ArgumentException($"ImageNet normalisation needs 3 channels; got shape {Shape.Format(images)}.", nameof(images));
        var mean = tensor(Mean.ToArray(), dtype: images.dtype, device: images.device).view(1, 3, 1, 1);
        var std = tensor(Std.ToArray(), dtype: images.dtype, device: images.device).view(1, 3, 1, 1);
        return (mean, std);
    }
}
